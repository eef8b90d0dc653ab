"""The off-platform-payment detector (orders.md, "Messages"): each language with messages that
must be flagged and ordinary escrow, shipping and contact messages that must not."""

from __future__ import annotations

import pytest

from ex1000.messaging import fraud
from ex1000.messaging.fraud import (
    LANGUAGES,
    OFF_PLATFORM_PAYMENT,
    find_account_numbers,
    find_bics,
    find_ibans,
    iban_valid,
    load_phrases,
    normalise,
    signals,
    warnings_for,
)

FLAGGED = {
    "en": [
        "Please pay to my personal account to save the fee",
        "Our bank details have changed, use this new account",
        "Send the balance by WeChat Pay directly",
        "IBAN DE89 3704 0044 0532 0130 00",
        "Kindly wire the deposit outside the platform to avoid the escrow fee.",
        "Account no. 6222 0212 3456 7890 123, Bank of China",
        "Beneficiary bank: Bank of China, Shanghai branch, SWIFT BKCHCNBJ300",
        "We can give you a better price if you pay us directly by T/T to our company account.",
        "Can you send the deposit in USDT (TRC20)? Wallet address follows.",
        "Please note our new beneficiary account for the remaining 70%.",
        "Let's deal directly, skip EX1000",
        "Transfer the deposit to my wife's account please",
        "Kindly make the payment to the account below, it's our finance manager's account",
    ],
    "zh-hans": [
        "请直接转账到我的个人账户",
        "我们的银行账户变了，请汇到新账户",
        "用微信支付直接付给我，可以省手续费",
        "不要走平台，私下交易更便宜",
        "收款账户已更换，请把尾款打到新的银行卡",
        "账号：6222 0212 3456 7890 123 中国银行上海分行",
        "尾款可以用支付宝付",
        "为了节省平台手续费，定金请打到我们香港公司的账户",
        "我们不用平台，你直接打钱给我",
    ],
    "ru": [
        "Переведите деньги на мою личную карту",
        "У нас новые банковские реквизиты",
        "Оплатите напрямую, минуя эскроу, так дешевле",
        "Можно оплатить через Western Union или USDT",
        "Реквизиты изменились, переводите на новый счёт",
        "Номер счёта 40817810099910004312, Сбербанк",
        "Скиньте предоплату на карту Сбербанка, так быстрее",
        "Чтобы сэкономить на комиссии, заплатите напрямую нам",
        # A negation earlier in the sentence does not excuse the request that follows.
        "Чтобы не платить комиссию, переведите оплату на мой личный счёт.",
    ],
    "ar": [
        "من فضلك حوّل المبلغ إلى حسابي الشخصي لتوفير العمولة",
        "تغيرت بياناتنا البنكية، يرجى استخدام الحساب الجديد",
        "ادفع الباقي مباشرةً عبر ويسترن يونيون",
        "أرسل الدفعة إلى حسابنا البنكي خارج المنصة",
        "لدينا حساب بنكي جديد، حوّلوا العربون إليه",
        "رقم الآيبان: SA03 8000 0000 6080 1016 7519",
        "يمكنك الدفع بالبيتكوين أو باي بال لتجنب الرسوم",
        "حوّل المبلغ على حسابي في بنك الراجحي",
    ],
    "es": [
        "Por favor, pague a mi cuenta personal para ahorrar la comisión",
        "Nuestros datos bancarios han cambiado, use esta nueva cuenta",
        "Envíe el saldo directamente por PayPal",
        "Haga la transferencia directamente a nuestra cuenta, sin pasar por la plataforma",
        "Tenemos una nueva cuenta bancaria, deposite el anticipo allí",
        "IBAN: ES91 2100 0418 4502 0005 1332",
        "Si paga fuera de la plataforma le hacemos un descuento",
    ],
    "fr": [
        "Veuillez payer sur mon compte personnel pour économiser les frais",
        "Nos coordonnées bancaires ont changé, utilisez ce nouveau compte",
        "Envoyez le solde directement par Western Union",
        "Payez-nous directement par virement, en dehors de la plateforme",
        "Voici notre nouveau RIB, merci d'y virer l'acompte",
        "IBAN FR76 3000 6000 0112 3456 7890 189",
        "Pour éviter la commission, réglez directement sur notre compte",
    ],
}

NOT_FLAGGED = {
    "en": [
        "Please pay the deposit into the EX1000 escrow account",
        "The order number is the payment reference",
        "We received your payment through the platform",
        "VIN LVSHCAMB1CE012345",
        "Call me +86 138 0013 8000",
        "Container CSQU3054383, B/L COSU6182734560, order EX-2026-000123",
        "The price is USD 12,500 FOB Shanghai; the balance of 9,800 is due after inspection.",
        "Escrow will release the funds directly to the supplier after delivery.",
        "Please update your personal account settings on the platform.",
        "Send the money to the escrow account below",
        "Add me on WeChat: dealer888, I will send more photos of the car",
        "The car left Tianjin on 2026-12-01 2026-12-05 ETA, booking number 617283945012.",
    ],
    "zh-hans": [
        "请通过平台托管账户付款",
        "订单号就是付款参考号",
        "我们已通过平台收到您的付款",
        "车架号LVSHCAMB1CE012345",
        "请打电话给我 +86 138 0013 8000",
        "平台会在您确认收货后直接放款给卖家",
        "集装箱号CSQU3054383，提单号COSU6182734560",
        "价格是128000元，定金30%",
        "有问题可以直接打电话给我",
        "通过托管直接支付即可",
    ],
    "ru": [
        "Оплата через эскроу EX1000",
        "Номер заказа служит назначением платежа",
        "Мы получили ваш платёж через платформу",
        "VIN: LVSHCAMB1CE012345",
        "Позвоните мне: +7 912 345-67-89",
        "Мы выставили новый счёт на оплату через платформу",
        "Зайдите в личный кабинет, чтобы оплатить заказ",
        "Цена 1 250 000 рублей, доставка в Владивосток",
    ],
    "ar": [
        "يرجى دفع العربون في حساب الضمان الخاص بمنصة EX1000",
        "استلمنا دفعتك عبر المنصة",
        "رقم الطلب هو مرجع الدفع",
        "رقم الشاسيه LVSHCAMB1CE012345",
        "اتصل بي على ‎+86 138 0013 8000",
        "سيتم تحويل المبلغ إلى البائع بعد تأكيد التسليم",
        "السيارة بدون ضمان من المصنع، السعر 12,500 دولار",
        "يرجى تحديث بيانات حسابك البنكي في المنصة لاسترداد المبلغ",
    ],
    "es": [
        "Por favor, pague el depósito en la cuenta de garantía (escrow) de EX1000",
        "El número de pedido es la referencia del pago",
        "Hemos recibido su pago a través de la plataforma",
        "El VIN es LVSHCAMB1CE012345",
        "Llámeme al +86 138 0013 8000",
        "La plataforma transferirá el dinero al vendedor cuando confirme la entrega",
        "Le enviaremos el coche directamente al puerto de Valencia",
    ],
    "fr": [
        "Merci de verser l'acompte sur le compte séquestre EX1000",
        "Le numéro de commande sert de référence de paiement",
        "Nous avons bien reçu votre paiement via la plateforme",
        "Numéro VIN : LVSHCAMB1CE012345",
        "Appelez-moi au +86 138 0013 8000",
        "Le conteneur CSQU3054383 est parti de Shanghai vers Anvers",
        "Livraison sans frais jusqu'au port, prix 125 000 €",
    ],
}


def _cases(examples: dict[str, list[str]]) -> list[object]:
    return [
        pytest.param(lang, text, id=f"{lang}-{i}")
        for lang, texts in examples.items()
        for i, text in enumerate(texts)
    ]


@pytest.mark.parametrize(("lang", "text"), _cases(FLAGGED))
def test_flagged(lang, text):
    assert warnings_for(text) == [OFF_PLATFORM_PAYMENT], signals(text)


@pytest.mark.parametrize(("lang", "text"), _cases(NOT_FLAGGED))
def test_not_flagged(lang, text):
    assert warnings_for(text) == [], signals(text)


@pytest.mark.parametrize("examples", [FLAGGED, NOT_FLAGGED], ids=["flagged", "not-flagged"])
def test_every_language_has_five_examples_each_way(examples):
    assert set(examples) == set(LANGUAGES)
    assert all(len(texts) >= 5 for texts in examples.values())


def test_the_phrase_data_has_every_language():
    data = load_phrases()
    assert set(data) == set(LANGUAGES)
    for lang, entry in data.items():
        for key in ("phrases", "channels", "bank_words", "reference_labels"):
            assert entry[key], f"{lang} has no {key}"
        assert isinstance(entry["word_boundaries"], bool)


def test_a_phrase_flags_in_its_own_language():
    """The personal-account request of the acceptance criteria, caught by that language's list."""
    assert "phrase:en" in signals("Please pay to my personal account to save the fee")
    assert "phrase:zh-hans" in signals("请直接转账到我的个人账户")
    assert "phrase:ru" in signals("Переведите деньги на мою личную карту")


@pytest.mark.parametrize(
    "iban",
    [
        "DE89 3704 0044 0532 0130 00",
        "GB82 WEST 1234 5698 7654 32",
        "FR76 3000 6000 0112 3456 7890 189",
        "ES9121000418450200051332",
        "NL91ABNA0417164300",
        "SA03 8000 0000 6080 1016 7519",
        "NO93 8601 1117 947",
    ],
)
def test_a_valid_iban_is_flagged(iban):
    compact = iban.replace(" ", "")
    assert iban_valid(compact)
    assert find_ibans(f"Our account: {iban}. Thanks") == [compact]
    assert "iban" in signals(f"iban {iban.lower()}")
    assert warnings_for(iban) == [OFF_PLATFORM_PAYMENT]


@pytest.mark.parametrize(
    "text",
    [
        "DE89 3704 0044 0532 0130 01",  # 22 characters, wrong check digits
        "GB82 WEST 1234 5698 7654 33",
        "DE88 3704 0044 0532 0130 00",
        "DE89 3704 0044 0532 0130",  # too short for Germany
        "XX89 3704 0044 0532 0130 00",  # no such country
    ],
)
def test_an_invalid_iban_is_not_flagged_by_the_iban_rule(text):
    assert len(text.replace(" ", "")) <= 22
    assert find_ibans(text) == []
    assert "iban" not in signals(text)


def test_an_iban_after_a_false_start_is_found():
    assert find_ibans("ref AB12 DE89 3704 0044 0532 0130 00") == ["DE89370400440532013000"]


@pytest.mark.parametrize(
    "text",
    [
        "VIN LVSHCAMB1CE012345",
        "vin: lvshcamb1ce012345, second car LFV3A23C0J3012345",
        "call me +86 138 0013 8000",
        "WhatsApp +8613800138000 or +7 (912) 345-67-89",
        "0086 138 0013 8000",
        "whatsapp 8613800138000",
        "my number is 8613800138000",
        "order EX-2026-000123",
        "EX-2026-000123 and EX-2026-000124",
        "container CSQU3054383",
        "containers CSQU 305438 3 and MSKU1234565",
        "B/L No. 617283945012",
        "booking 123456789012345",
        "提单号：617283945012",
        "USD 12,500.00; 1,250,000 RMB; 125 000 €; 9 800",
        "dates 2026-12-01 2026-12-05",
    ],
)
def test_shipping_contact_and_order_numbers_are_not_accounts(text):
    assert find_account_numbers(text) == []
    assert warnings_for(text) == [], signals(text)


@pytest.mark.parametrize(
    ("text", "digits"),
    [
        ("account 6222021234567890123", "6222021234567890123"),
        ("卡号6222 0212 3456 7890 123", "6222021234567890123"),
        ("счёт 40817-810-0999-1000-4312", "40817810099910004312"),
        ("a/c 1234 5678 9012", "123456789012"),
        ("رقم الحساب ٦٢٢٢٠٢١٢٣٤٥٦٧٨٩٠١٢٣", "6222021234567890123"),  # Arabic-Indic digits
        ("账号６２２２０２１２３４５６７８９０１２３", "6222021234567890123"),  # full-width
    ],
)
def test_a_long_account_number_is_found(text, digits):
    assert find_account_numbers(text) == [digits]


def test_a_bic_is_found_after_its_label_or_near_a_bank():
    assert find_bics("swift code: bkchcnbj") == ["BKCHCNBJ"]
    assert find_bics("Bank of China BKCHCNBJ300") == ["BKCHCNBJ300"]
    assert find_bics("中国银行 BKCHCNBJ") == ["BKCHCNBJ"]
    # Not a bank in sight, or a message shouting in capitals.
    assert find_bics("Shipped from SHANGHAI today") == []
    assert find_bics("BANK OF SHANGHAI CALLED") == []


def test_normalisation():
    assert normalise("  Ｐａｙ\u3000ＴＯ  my\nAccount ") == "pay to my account"
    assert normalise("Счёт ЛИЧНЫЙ") == "счет личныи"
    assert normalise("حسابي الشخصيّ إلى") == "حسابي الشخصي الي"
    assert normalise("Économiser") == "economiser"


@pytest.mark.parametrize(
    "text",
    [
        "Never pay to a personal account, only through EX1000 escrow.",
        "We only accept payment through escrow, do not send money directly to anyone.",
        "We don't accept PayPal, only escrow.",
        "千万不要直接转账到个人账户",
        "Пожалуйста, не переводите деньги напрямую, только через эскроу",
        "No pague nunca fuera de la plataforma",
        "Ne payez jamais sur un compte personnel",
        "لا تحول المبلغ إلى حسابي الشخصي، الدفع عبر المنصة فقط",
    ],
)
def test_a_warning_against_the_scam_is_not_the_scam(text):
    assert warnings_for(text) == [], signals(text)


@pytest.mark.parametrize(
    "text",
    [
        "Don't pay through escrow, pay me directly",
        "Why not pay me directly? It is cheaper.",
        "No escrow needed. Send the deposit to my personal account",
    ],
)
def test_a_negation_in_another_clause_does_not_excuse(text):
    assert warnings_for(text) == [OFF_PLATFORM_PAYMENT], signals(text)


def test_quoting_the_escrow_account_is_not_flagged_another_account_is():
    known = ("0000 0000 0000 0000 (demo)", "BKCHCNBJ910")
    quoted = (
        "I paid to the escrow account 0000 0000 0000 0000 (demo), SWIFT BKCHCNBJ910, "
        "reference EX-2026-000002."
    )
    assert fraud.warnings_for(quoted, known=known) == []
    assert fraud.warnings_for("Escrow account 0000-0000-0000-0000 received it.", known) == []
    other = "Please pay to account 6222 0212 3456 7890 123, SWIFT ICBKCNBJ."
    assert fraud.warnings_for(other, known=known) == [fraud.OFF_PLATFORM_PAYMENT]


@pytest.mark.parametrize(
    "text",
    ["請直接匯款到我的個人帳戶，可以省手續費。", "我們的銀行帳戶已更換，請匯到新帳戶。"],
)
def test_traditional_chinese_is_read_as_simplified(text):
    assert fraud.warnings_for(text) == [fraud.OFF_PLATFORM_PAYMENT]


def test_the_platform_escrow_details_in_settings_never_flag_a_message(settings):
    from ex1000.messaging.services import _warnings

    settings.ESCROW_ACCOUNT_NUMBER = "6217 0000 1234 5678 901"
    settings.ESCROW_SWIFT = "BKCHCNBJ910"
    assert _warnings("Paid to 6217 0000 1234 5678 901 (BKCHCNBJ910) as the order says.") == []
