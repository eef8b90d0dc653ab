"""Reference data for `manage.py seed_demo`: cars sold new in China, as dealers list them.

Dimensions (L×W×H, mm), engine sizes, battery capacities and new prices (thousand CNY,
manufacturer guide price) follow the Chinese-market versions of each car; the command
derives a used price from the new price, the age and the mileage.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Variant:
    name: str
    fuel: str  # petrol, diesel, hybrid, phev, bev
    transmission: str  # manual, automatic, cvt, dct
    drive: str  # fwd, rwd, awd, 4wd
    engine_cc: int | None
    battery_kwh: float | None
    new_price_k: int  # thousand CNY, guide price when new
    first_year: int
    last_year: int


@dataclass(frozen=True)
class CarModel:
    make: str
    model: str
    body: str
    dims: tuple[int, int, int]  # length, width, height in mm
    wmi: str  # world manufacturer identifier of the Chinese factory
    retention: float  # share of value kept per year
    weight: int  # how often the model turns up in stock
    variants: tuple[Variant, ...]


def _v(name, fuel, transmission, drive, cc, kwh, price_k, first, last) -> Variant:
    return Variant(name, fuel, transmission, drive, cc, kwh, price_k, first, last)


def _m(make, model, body, dims, wmi, retention, weight, *variants) -> CarModel:
    return CarModel(make, model, body, dims, wmi, retention, weight, tuple(variants))


A, M, C, D = "automatic", "manual", "cvt", "dct"

# fmt: off
CATALOGUE: tuple[CarModel, ...] = (
    # BYD
    _m(
        "BYD", "Han EV", "sedan", (4995, 1910, 1495), "LGX", 0.86, 6,
        _v("605km Premium", "bev", A, "fwd", None, 76.9, 255, 2020, 2022),
        _v("715km Flagship", "bev", A, "fwd", None, 85.4, 280, 2022, 2023),
        _v("610km Performance AWD", "bev", A, "awd", None, 85.4, 290, 2022, 2024),
        _v("506km Honor Edition", "bev", A, "fwd", None, 60.5, 210, 2023, 2025),
    ),
    _m(
        "BYD", "Han DM-i", "sedan", (4975, 1910, 1495), "LGX", 0.86, 3,
        _v("121km Premium", "phev", C, "fwd", 1498, 18.3, 205, 2022, 2024),
        _v("242km Flagship", "phev", C, "fwd", 1498, 37.5, 235, 2022, 2024),
    ),
    _m(
        "BYD", "Song Plus DM-i", "suv", (4775, 1890, 1670), "LGX", 0.86, 8,
        _v("51km Premium", "phev", C, "fwd", 1498, 8.3, 155, 2021, 2022),
        _v("110km Flagship", "phev", C, "fwd", 1498, 18.3, 175, 2021, 2023),
        _v("150km Champion Flagship Plus", "phev", C, "fwd", 1498, 26.6, 170, 2023, 2025),
    ),
    _m(
        "BYD", "Song Plus EV", "suv", (4785, 1890, 1660), "LGX", 0.84, 2,
        _v("505km Flagship", "bev", A, "fwd", None, 71.7, 190, 2021, 2023),
        _v("605km Champion Flagship", "bev", A, "fwd", None, 87.0, 200, 2023, 2024),
    ),
    _m(
        "BYD", "Qin Plus DM-i", "sedan", (4765, 1837, 1495), "LGX", 0.85, 7,
        _v("55km Premium", "phev", C, "fwd", 1498, 8.3, 115, 2021, 2023),
        _v("120km Flagship", "phev", C, "fwd", 1498, 18.3, 135, 2021, 2023),
        _v("Champion 55km Leading", "phev", C, "fwd", 1498, 7.9, 100, 2023, 2025),
    ),
    _m(
        "BYD", "Qin Plus EV", "sedan", (4765, 1837, 1515), "LGX", 0.83, 3,
        _v("500km Travel", "bev", A, "fwd", None, 57.6, 140, 2021, 2023),
        _v("510km Champion Leading", "bev", A, "fwd", None, 57.6, 135, 2023, 2025),
    ),
    _m(
        "BYD", "Tang DM-i", "suv", (4870, 1950, 1725), "LGX", 0.86, 3,
        _v("112km Flagship", "phev", C, "fwd", 1497, 21.5, 220, 2022, 2024),
    ),
    _m(
        "BYD", "Tang EV", "suv", (4900, 1950, 1725), "LGX", 0.84, 2,
        _v("600km AWD Flagship", "bev", A, "awd", None, 108.8, 310, 2022, 2024),
    ),
    _m(
        "BYD", "Dolphin", "hatchback", (4070, 1770, 1570), "LGX", 0.84, 6,
        _v("301km Active", "bev", A, "fwd", None, 30.7, 100, 2021, 2022),
        _v("405km Knight", "bev", A, "fwd", None, 44.9, 125, 2021, 2023),
        _v("420km Free", "bev", A, "fwd", None, 44.9, 115, 2023, 2025),
    ),
    _m(
        "BYD", "Seal", "sedan", (4800, 1875, 1460), "LGX", 0.84, 4,
        _v("550km Premium RWD", "bev", A, "rwd", None, 61.4, 210, 2022, 2024),
        _v("700km Flagship RWD", "bev", A, "rwd", None, 82.5, 240, 2022, 2024),
        _v("650km AWD Performance", "bev", A, "awd", None, 82.5, 280, 2022, 2024),
    ),
    _m(
        "BYD", "Yuan Plus", "suv", (4455, 1875, 1615), "LGX", 0.84, 5,
        _v("430km Premium", "bev", A, "fwd", None, 49.9, 135, 2022, 2025),
        _v("510km Flagship", "bev", A, "fwd", None, 60.5, 150, 2022, 2024),
    ),
    _m(
        "BYD", "Seagull", "hatchback", (3780, 1715, 1540), "LGX", 0.84, 3,
        _v("305km Vitality", "bev", A, "fwd", None, 30.1, 74, 2023, 2025),
        _v("405km Flying", "bev", A, "fwd", None, 38.9, 86, 2023, 2025),
    ),
    # Geely and Zeekr
    _m(
        "Geely", "Emgrand", "sedan", (4638, 1820, 1460), "L6T", 0.88, 3,
        _v("1.5L CVT Premium", "petrol", C, "fwd", 1498, None, 82, 2022, 2025),
    ),
    _m(
        "Geely", "Boyue Pro", "suv", (4544, 1831, 1713), "L6T", 0.87, 3,
        _v("1.5TD DCT Smart", "petrol", D, "fwd", 1477, None, 125, 2020, 2022),
    ),
    _m(
        "Geely", "Xingyue L", "suv", (4770, 1895, 1689), "L6T", 0.88, 5,
        _v("2.0TD 8AT Supreme", "petrol", A, "fwd", 1969, None, 165, 2021, 2024),
        _v("2.0TD 8AT AWD Flagship", "petrol", A, "awd", 1969, None, 185, 2021, 2024),
    ),
    _m(
        "Geely", "Coolray", "suv", (4330, 1800, 1609), "L6T", 0.87, 3,
        _v("1.5TD DCT Sport", "petrol", D, "fwd", 1477, None, 110, 2019, 2022),
    ),
    _m(
        "Geely", "Galaxy L7", "suv", (4700, 1905, 1685), "L6T", 0.85, 3,
        _v("115km Max", "phev", A, "fwd", 1499, 18.7, 160, 2023, 2025),
    ),
    _m(
        "Zeekr", "001", "wagon", (4970, 1999, 1560), "L6T", 0.82, 3,
        _v("WE 86kWh RWD", "bev", A, "rwd", None, 86.0, 300, 2021, 2023),
        _v("ME 100kWh AWD", "bev", A, "awd", None, 100.0, 340, 2021, 2024),
    ),
    # Chery
    _m(
        "Chery", "Tiggo 8 Pro", "suv", (4722, 1860, 1745), "LVV", 0.86, 5,
        _v("1.6TGDI DCT Premium", "petrol", D, "fwd", 1598, None, 135, 2021, 2024),
        _v("2.0TGDI DCT Flagship", "petrol", D, "fwd", 1998, None, 160, 2021, 2024),
    ),
    _m(
        "Chery", "Tiggo 7 Pro", "suv", (4500, 1842, 1746), "LVV", 0.86, 4,
        _v("1.5T CVT Deluxe", "petrol", C, "fwd", 1498, None, 105, 2020, 2023),
    ),
    _m(
        "Chery", "Arrizo 8", "sedan", (4780, 1843, 1469), "LVV", 0.86, 3,
        _v("1.6TGDI DCT Premium", "petrol", D, "fwd", 1598, None, 120, 2022, 2025),
    ),
    _m(
        "Chery", "Arrizo 5 Plus", "sedan", (4675, 1825, 1490), "LVV", 0.86, 3,
        _v("1.5L MT Comfort", "petrol", M, "fwd", 1497, None, 68, 2019, 2022),
        _v("1.5L CVT Comfort", "petrol", C, "fwd", 1497, None, 75, 2019, 2022),
    ),
    # Changan and Deepal
    _m(
        "Changan", "CS75 Plus", "suv", (4700, 1865, 1710), "LS5", 0.86, 6,
        _v("1.5T 6AT Premium", "petrol", A, "fwd", 1494, None, 125, 2020, 2022),
        _v("2.0T 8AT Flagship", "petrol", A, "fwd", 1998, None, 155, 2021, 2024),
    ),
    _m(
        "Changan", "CS55 Plus", "suv", (4515, 1865, 1680), "LS5", 0.86, 4,
        _v("1.5T DCT Premium", "petrol", D, "fwd", 1494, None, 110, 2020, 2024),
    ),
    _m(
        "Changan", "UNI-T", "suv", (4515, 1870, 1565), "LS5", 0.86, 3,
        _v("1.5T DCT Premium", "petrol", D, "fwd", 1494, None, 125, 2020, 2023),
    ),
    _m(
        "Changan", "UNI-K", "suv", (4865, 1948, 1700), "LS5", 0.86, 2,
        _v("2.0T 8AT Premium", "petrol", A, "fwd", 1998, None, 170, 2021, 2023),
        _v("2.0T 8AT AWD Flagship", "petrol", A, "awd", 1998, None, 190, 2021, 2023),
    ),
    _m(
        "Changan", "Eado Plus", "sedan", (4730, 1820, 1505), "LS5", 0.86, 3,
        _v("1.6L CVT Comfort", "petrol", C, "fwd", 1598, None, 80, 2020, 2023),
        _v("1.4T DCT Premium", "petrol", D, "fwd", 1399, None, 90, 2020, 2023),
    ),
    _m(
        "Deepal", "SL03", "sedan", (4820, 1890, 1480), "LS5", 0.82, 2,
        _v("515km RWD", "bev", A, "rwd", None, 58.1, 170, 2022, 2024),
        _v("705km RWD", "bev", A, "rwd", None, 79.9, 200, 2022, 2024),
        _v("1200km Range Extender", "phev", A, "rwd", 1499, 28.4, 170, 2022, 2024),
    ),
    # Great Wall Motor: Haval, Great Wall, Tank, ORA
    _m(
        "Haval", "H6", "suv", (4653, 1886, 1730), "LGW", 0.87, 7,
        _v("1.5T DCT Supreme", "petrol", D, "fwd", 1499, None, 125, 2021, 2024),
        _v("2.0T DCT AWD Flagship", "petrol", D, "awd", 1967, None, 155, 2021, 2023),
    ),
    _m(
        "Haval", "H6", "suv", (4600, 1860, 1720), "LGW", 0.86, 3,
        _v("1.5T 6MT Deluxe", "petrol", M, "fwd", 1497, None, 105, 2017, 2020),
        _v("2.0T 7DCT Supreme", "petrol", D, "fwd", 1967, None, 130, 2017, 2020),
    ),
    _m(
        "Haval", "Jolion", "suv", (4472, 1841, 1574), "LGW", 0.86, 5,
        _v("1.5T DCT Premium", "petrol", D, "fwd", 1497, None, 100, 2021, 2024),
        _v("1.5L HEV DHT Pro", "hybrid", A, "fwd", 1497, None, 135, 2022, 2024),
    ),
    _m(
        "Haval", "Dargo", "suv", (4625, 1890, 1780), "LGW", 0.86, 3,
        _v("1.5T DCT Supreme", "petrol", D, "fwd", 1499, None, 140, 2021, 2024),
        _v("2.0T DCT AWD Flagship", "petrol", D, "awd", 1967, None, 165, 2021, 2023),
    ),
    _m(
        "Haval", "H9", "suv", (4856, 1926, 1900), "LGW", 0.86, 2,
        _v("2.0T 8AT 4WD Luxury", "petrol", A, "4wd", 1967, None, 230, 2017, 2023),
    ),
    _m(
        "Great Wall", "Poer", "pickup", (5410, 1934, 1886), "LGW", 0.88, 4,
        _v("2.0T Diesel 8AT 4WD Commercial", "diesel", A, "4wd", 1996, None, 165, 2019, 2024),
        _v("2.0T Petrol 6MT 2WD Commercial", "petrol", M, "rwd", 1967, None, 125, 2019, 2023),
    ),
    _m(
        "Great Wall", "Wingle 7", "pickup", (5300, 1800, 1760), "LGW", 0.87, 3,
        _v("2.0T Diesel 6MT 4WD", "diesel", M, "4wd", 1996, None, 110, 2018, 2023),
        _v("2.4L Petrol 5MT 2WD", "petrol", M, "rwd", 2378, None, 85, 2018, 2022),
    ),
    _m(
        "Tank", "300", "suv", (4760, 1930, 1903), "LGW", 0.90, 3,
        _v("2.0T 8AT Explorer", "petrol", A, "4wd", 1967, None, 200, 2021, 2024),
        _v("2.0T 8AT Conqueror", "petrol", A, "4wd", 1967, None, 230, 2021, 2024),
    ),
    _m(
        "ORA", "Good Cat", "hatchback", (4235, 1825, 1596), "LGW", 0.80, 2,
        _v("400km Standard", "bev", A, "fwd", None, 47.8, 120, 2021, 2023),
        _v("501km GT", "bev", A, "fwd", None, 63.1, 150, 2022, 2023),
    ),
    # Toyota (GAC Toyota LVG, FAW Toyota LTV / LFM)
    _m(
        "Toyota", "Camry", "sedan", (4885, 1840, 1455), "LVG", 0.93, 7,
        _v("2.0G Deluxe", "petrol", C, "fwd", 1987, None, 195, 2021, 2024),
        _v("2.5HG Hybrid Deluxe", "hybrid", C, "fwd", 2487, None, 230, 2018, 2024),
        _v("2.5S Sport", "petrol", A, "fwd", 2487, None, 235, 2018, 2023),
    ),
    _m(
        "Toyota", "Corolla", "sedan", (4635, 1780, 1455), "LTV", 0.92, 5,
        _v("1.2T CVT Pioneer", "petrol", C, "fwd", 1197, None, 120, 2019, 2022),
        _v("1.8L Dual Engine Elite", "hybrid", C, "fwd", 1798, None, 140, 2019, 2023),
    ),
    _m(
        "Toyota", "Levin", "sedan", (4640, 1780, 1455), "LVG", 0.92, 3,
        _v("1.2T CVT Progress", "petrol", C, "fwd", 1197, None, 118, 2019, 2022),
        _v("1.8L Dual Engine Deluxe", "hybrid", C, "fwd", 1798, None, 138, 2019, 2022),
    ),
    _m(
        "Toyota", "RAV4", "suv", (4600, 1855, 1680), "LFM", 0.92, 5,
        _v("2.0L CVT 2WD Urban", "petrol", C, "fwd", 1987, None, 185, 2020, 2024),
        _v("2.5L Dual Engine E-Four Elite", "hybrid", C, "awd", 2487, None, 235, 2020, 2024),
    ),
    _m(
        "Toyota", "Highlander", "suv", (4890, 1925, 1730), "LVG", 0.91, 2,
        _v("2.0T 4WD Premium", "petrol", A, "awd", 1998, None, 310, 2018, 2021),
        _v("2.5L Hybrid 4WD Flagship", "hybrid", C, "awd", 2494, None, 350, 2018, 2021),
    ),
    _m(
        "Toyota", "Highlander", "suv", (4965, 1930, 1750), "LVG", 0.91, 2,
        _v("2.5L Dual Engine 2WD Premium", "hybrid", C, "fwd", 2487, None, 280, 2022, 2024),
        _v("2.5L Dual Engine E-Four Flagship", "hybrid", C, "awd", 2487, None, 330, 2022, 2024),
    ),
    _m(
        "Toyota", "Land Cruiser Prado", "suv", (4840, 1885, 1890), "LFM", 0.95, 3,
        _v("2.7L 4WD TX", "petrol", A, "4wd", 2694, None, 460, 2018, 2023),
        _v("2.4T Hybrid 4WD VX", "hybrid", A, "4wd", 2393, None, 540, 2024, 2024),
    ),
    _m(
        "Toyota", "Sienna", "mpv", (5165, 1995, 1765), "LVG", 0.93, 2,
        _v("2.5L Hybrid Premium", "hybrid", C, "fwd", 2487, None, 310, 2022, 2024),
        _v("2.5L Hybrid E-Four Flagship", "hybrid", C, "awd", 2487, None, 350, 2022, 2024),
    ),
    # Honda (GAC Honda LHG, Dongfeng Honda LVH)
    _m(
        "Honda", "Accord", "sedan", (4893, 1862, 1449), "LHG", 0.92, 4,
        _v("260TURBO Luxury", "petrol", C, "fwd", 1498, None, 200, 2018, 2022),
        _v("Sport Hybrid 2.0L Deluxe", "hybrid", C, "fwd", 1993, None, 225, 2018, 2022),
    ),
    _m(
        "Honda", "Civic", "sedan", (4648, 1800, 1416), "LVH", 0.91, 3,
        _v("220TURBO CVT Premium", "petrol", C, "fwd", 1498, None, 145, 2016, 2021),
    ),
    _m(
        "Honda", "Civic", "sedan", (4674, 1802, 1415), "LVH", 0.91, 2,
        _v("240TURBO CVT Fashion", "petrol", C, "fwd", 1498, None, 140, 2022, 2024),
    ),
    _m(
        "Honda", "CR-V", "suv", (4585, 1855, 1689), "LVH", 0.91, 5,
        _v("240TURBO CVT 2WD Comfort", "petrol", C, "fwd", 1498, None, 185, 2017, 2022),
        _v("240TURBO CVT 4WD Premium", "petrol", C, "awd", 1498, None, 225, 2017, 2022),
        _v("2.0L Hybrid 2WD Premium", "hybrid", C, "fwd", 1993, None, 225, 2019, 2022),
    ),
    _m(
        "Honda", "CR-V", "suv", (4703, 1866, 1680), "LVH", 0.90, 2,
        _v("240TURBO 2WD Active", "petrol", C, "fwd", 1498, None, 190, 2023, 2025),
    ),
    _m(
        "Honda", "Odyssey", "mpv", (4847, 1820, 1702), "LHG", 0.92, 2,
        _v("2.0L Hybrid Premium", "hybrid", C, "fwd", 1993, None, 280, 2019, 2024),
    ),
    # Volkswagen (FAW-VW LFV, SAIC VW LSV)
    _m(
        "Volkswagen", "Lavida", "sedan", (4670, 1806, 1474), "LSV", 0.89, 5,
        _v("1.5L 6AT Comfort", "petrol", A, "fwd", 1498, None, 115, 2018, 2022),
        _v("280TSI DSG Premium", "petrol", D, "fwd", 1395, None, 140, 2018, 2022),
    ),
    _m(
        "Volkswagen", "Sagitar", "sedan", (4753, 1800, 1462), "LFV", 0.89, 4,
        _v("200TSI DSG Progressive", "petrol", D, "fwd", 1197, None, 135, 2019, 2022),
        _v("280TSI DSG Comfort", "petrol", D, "fwd", 1395, None, 155, 2019, 2024),
    ),
    _m(
        "Volkswagen", "Magotan", "sedan", (4866, 1832, 1464), "LFV", 0.88, 3,
        _v("280TSI DSG Business", "petrol", D, "fwd", 1395, None, 190, 2017, 2023),
        _v("330TSI DSG Premium", "petrol", D, "fwd", 1984, None, 225, 2017, 2023),
    ),
    _m(
        "Volkswagen", "Passat", "sedan", (4948, 1836, 1469), "LSV", 0.88, 3,
        _v("330TSI DSG Premium", "petrol", D, "fwd", 1984, None, 230, 2019, 2023),
    ),
    _m(
        "Volkswagen", "Tiguan L", "suv", (4735, 1859, 1682), "LSV", 0.89, 5,
        _v("330TSI DSG 2WD Smart", "petrol", D, "fwd", 1984, None, 240, 2017, 2023),
        _v("380TSI DSG 4MOTION R-Line", "petrol", D, "awd", 1984, None, 300, 2017, 2023),
    ),
    _m(
        "Volkswagen", "Teramont", "suv", (5039, 1989, 1773), "LSV", 0.88, 2,
        _v("330TSI DSG 2WD Lead", "petrol", D, "fwd", 1984, None, 310, 2017, 2023),
        _v("380TSI DSG 4MOTION Premium", "petrol", D, "awd", 1984, None, 360, 2017, 2023),
    ),
    _m(
        "Volkswagen", "ID.4 Crozz", "suv", (4592, 1852, 1629), "LFV", 0.82, 2,
        _v("Pure+ 425km", "bev", A, "rwd", None, 57.3, 200, 2021, 2024),
        _v("Prime 550km AWD", "bev", A, "awd", None, 84.8, 270, 2021, 2024),
    ),
    _m(
        "Volkswagen", "ID.4 X", "suv", (4612, 1852, 1640), "LSV", 0.82, 2,
        _v("Pro 555km", "bev", A, "rwd", None, 84.8, 240, 2021, 2024),
    ),
    # Nissan (Dongfeng Nissan LGB)
    _m(
        "Nissan", "Sylphy", "sedan", (4641, 1815, 1450), "LGB", 0.88, 6,
        _v("1.6L CVT XL Comfort", "petrol", C, "fwd", 1598, None, 120, 2020, 2025),
        _v("e-POWER Super Hybrid", "hybrid", A, "fwd", 1198, None, 145, 2022, 2024),
    ),
    _m(
        "Nissan", "Sylphy Classic", "sedan", (4631, 1760, 1503), "LGB", 0.87, 2,
        _v("1.6L CVT XE Comfort", "petrol", C, "fwd", 1598, None, 105, 2016, 2019),
    ),
    _m(
        "Nissan", "X-Trail", "suv", (4675, 1820, 1722), "LGB", 0.88, 3,
        _v("2.0L CVT 2WD Comfort", "petrol", C, "fwd", 1997, None, 180, 2017, 2021),
        _v("2.5L CVT 4WD Luxury", "petrol", C, "awd", 2488, None, 230, 2017, 2021),
    ),
    _m(
        "Nissan", "Teana", "sedan", (4906, 1850, 1447), "LGB", 0.87, 3,
        _v("2.0L CVT XL Comfort", "petrol", C, "fwd", 1997, None, 180, 2019, 2023),
        _v("2.0T VC-Turbo Flagship", "petrol", C, "fwd", 1997, None, 240, 2019, 2023),
    ),
    # Hyundai (Beijing Hyundai LBE) and Kia (Dongfeng Yueda Kia LJD)
    _m(
        "Hyundai", "Elantra", "sedan", (4680, 1810, 1415), "LBE", 0.84, 4,
        _v("1.5L CVT GLS", "petrol", C, "fwd", 1497, None, 110, 2021, 2024),
    ),
    _m(
        "Hyundai", "Tucson L", "suv", (4630, 1865, 1698), "LBE", 0.84, 3,
        _v("1.5T DCT 2WD Premium", "petrol", D, "fwd", 1497, None, 180, 2021, 2024),
        _v("1.5T DCT 4WD Flagship", "petrol", D, "awd", 1497, None, 210, 2021, 2024),
    ),
    _m(
        "Hyundai", "ix35", "suv", (4435, 1850, 1695), "LBE", 0.84, 2,
        _v("2.0L 6AT 2WD GLS", "petrol", A, "fwd", 1999, None, 150, 2018, 2021),
    ),
    _m(
        "Kia", "K5", "sedan", (4980, 1860, 1445), "LJD", 0.84, 3,
        _v("270T CVVD Premium", "petrol", D, "fwd", 1497, None, 175, 2020, 2023),
        _v("380T GT-Line", "petrol", A, "fwd", 1998, None, 210, 2020, 2023),
    ),
    _m(
        "Kia", "Sportage Ace", "suv", (4485, 1855, 1645), "LJD", 0.84, 2,
        _v("1.4T DCT Premium", "petrol", D, "fwd", 1353, None, 165, 2019, 2021),
    ),
    # Mercedes-Benz (Beijing Benz LE4)
    _m(
        "Mercedes-Benz", "C-Class", "sedan", (4784, 1810, 1457), "LE4", 0.87, 3,
        _v("C 260 L Sport", "petrol", A, "rwd", 1497, None, 350, 2019, 2021),
    ),
    _m(
        "Mercedes-Benz", "C-Class", "sedan", (4882, 1820, 1461), "LE4", 0.87, 3,
        _v("C 260 L", "petrol", A, "rwd", 1496, None, 350, 2022, 2024),
    ),
    _m(
        "Mercedes-Benz", "E-Class", "sedan", (5078, 1860, 1480), "LE4", 0.87, 4,
        _v("E 300 L Luxury", "petrol", A, "rwd", 1991, None, 520, 2017, 2023),
        _v("E 300 L 4MATIC", "petrol", A, "awd", 1991, None, 550, 2017, 2023),
    ),
    _m(
        "Mercedes-Benz", "GLC", "suv", (4764, 1898, 1642), "LE4", 0.87, 4,
        _v("GLC 260 L 4MATIC Dynamic", "petrol", A, "awd", 1991, None, 430, 2020, 2022),
        _v("GLC 300 L 4MATIC Luxury", "petrol", A, "awd", 1991, None, 480, 2020, 2022),
    ),
    _m(
        "Mercedes-Benz", "GLC", "suv", (4826, 1938, 1696), "LE4", 0.87, 2,
        _v("GLC 260 L 4MATIC", "petrol", A, "awd", 1999, None, 440, 2023, 2025),
    ),
    # BMW (BMW Brilliance LBV)
    _m(
        "BMW", "3 Series", "sedan", (4829, 1827, 1463), "LBV", 0.88, 4,
        _v("320Li M Sport", "petrol", A, "rwd", 1998, None, 300, 2020, 2024),
        _v("325Li M Sport", "petrol", A, "rwd", 1998, None, 340, 2020, 2024),
    ),
    _m(
        "BMW", "5 Series", "sedan", (5087, 1868, 1500), "LBV", 0.88, 3,
        _v("525Li Luxury", "petrol", A, "rwd", 1998, None, 450, 2018, 2023),
        _v("530Li xDrive M Sport", "petrol", A, "awd", 1998, None, 510, 2018, 2023),
    ),
    _m(
        "BMW", "X3", "suv", (4717, 1891, 1676), "LBV", 0.88, 3,
        _v("xDrive25i Luxury", "petrol", A, "awd", 1998, None, 410, 2018, 2024),
        _v("xDrive30i M Sport", "petrol", A, "awd", 1998, None, 450, 2018, 2024),
    ),
    _m(
        "BMW", "iX3", "suv", (4734, 1891, 1668), "LBV", 0.82, 2,
        _v("Premium", "bev", A, "rwd", None, 80.0, 400, 2020, 2024),
    ),
    # Audi (FAW-Audi, built by FAW-VW: LFV)
    _m(
        "Audi", "A4L", "sedan", (4858, 1847, 1439), "LFV", 0.86, 4,
        _v("40 TFSI Premium", "petrol", D, "fwd", 1984, None, 320, 2020, 2024),
        _v("45 TFSI quattro Sport", "petrol", D, "awd", 1984, None, 370, 2020, 2024),
    ),
    _m(
        "Audi", "A6L", "sedan", (5050, 1886, 1475), "LFV", 0.86, 4,
        _v("45 TFSI Premium", "petrol", D, "fwd", 1984, None, 430, 2019, 2024),
        _v("45 TFSI quattro Sport", "petrol", D, "awd", 1984, None, 470, 2019, 2024),
    ),
    _m(
        "Audi", "Q5L", "suv", (4770, 1893, 1667), "LFV", 0.87, 3,
        _v("40 TFSI quattro Premium", "petrol", D, "awd", 1984, None, 400, 2018, 2024),
        _v("45 TFSI quattro Sport", "petrol", D, "awd", 1984, None, 450, 2018, 2024),
    ),
    # Li Auto (range extenders count as plug-in hybrids)
    _m(
        "Li Auto", "Li ONE", "suv", (5030, 1960, 1760), "LW4", 0.85, 3,
        _v("Extended Range 6-seat", "phev", A, "awd", 1196, 40.5, 330, 2019, 2022),
    ),
    _m(
        "Li Auto", "L9", "suv", (5218, 1998, 1800), "LW4", 0.88, 3,
        _v("Pro", "phev", A, "awd", 1496, 44.5, 430, 2023, 2024),
        _v("Max", "phev", A, "awd", 1496, 44.5, 460, 2022, 2024),
    ),
    _m(
        "Li Auto", "L7", "suv", (5050, 1995, 1750), "LW4", 0.87, 3,
        _v("Pro", "phev", A, "awd", 1496, 42.8, 350, 2023, 2025),
        _v("Max", "phev", A, "awd", 1496, 42.8, 380, 2023, 2025),
    ),
    _m(
        "Li Auto", "L6", "suv", (4925, 1960, 1735), "LW4", 0.87, 2,
        _v("Pro", "phev", A, "awd", 1496, 36.8, 250, 2024, 2025),
    ),
    # NIO (built by JAC: LJ1)
    _m(
        "NIO", "ES6", "suv", (4850, 1965, 1758), "LJ1", 0.80, 3,
        _v("75kWh Performance", "bev", A, "awd", None, 75.0, 380, 2020, 2022),
        _v("100kWh Signature", "bev", A, "awd", None, 100.0, 450, 2021, 2022),
    ),
    _m(
        "NIO", "ES8", "suv", (5022, 1962, 1756), "LJ1", 0.80, 2,
        _v("75kWh 6-seat Signature", "bev", A, "awd", None, 75.0, 480, 2019, 2022),
        _v("100kWh 7-seat", "bev", A, "awd", None, 100.0, 520, 2020, 2022),
    ),
    _m(
        "NIO", "ET5", "sedan", (4790, 1960, 1499), "LJ1", 0.80, 2,
        _v("75kWh", "bev", A, "awd", None, 75.0, 328, 2022, 2024),
    ),
    _m(
        "NIO", "ET7", "sedan", (5101, 1987, 1509), "LJ1", 0.80, 1,
        _v("100kWh Premier", "bev", A, "awd", None, 100.0, 500, 2022, 2024),
    ),
    # XPeng
    _m(
        "XPeng", "P7", "sedan", (4880, 1896, 1450), "L1N", 0.80, 4,
        _v("586 Super Long Range RWD", "bev", A, "rwd", None, 70.8, 250, 2020, 2022),
        _v("706G Long Range", "bev", A, "rwd", None, 80.9, 280, 2020, 2022),
        _v("Performance AWD", "bev", A, "awd", None, 80.9, 340, 2021, 2023),
    ),
    _m(
        "XPeng", "G9", "suv", (4891, 1937, 1680), "L1N", 0.80, 2,
        _v("570 Pro", "bev", A, "rwd", None, 78.2, 310, 2022, 2024),
        _v("650 Max AWD", "bev", A, "awd", None, 98.0, 400, 2022, 2024),
    ),
    _m(
        "XPeng", "G3i", "suv", (4495, 1820, 1610), "L1N", 0.80, 1,
        _v("520 Smart", "bev", A, "fwd", None, 66.2, 180, 2020, 2022),
    ),
    # SAIC-GM-Wuling, SAIC-GM Buick, GAC Trumpchi, Hongqi
    _m(
        "Wuling", "Hongguang Mini EV", "hatchback", (2920, 1493, 1621), "LZW", 0.82, 4,
        _v("120km Light", "bev", A, "rwd", None, 9.2, 33, 2020, 2022),
        _v("170km Macaron", "bev", A, "rwd", None, 13.9, 45, 2021, 2023),
    ),
    _m(
        "Wuling", "Bingo", "hatchback", (3950, 1708, 1580), "LZW", 0.82, 2,
        _v("333km Premium", "bev", A, "fwd", None, 31.9, 70, 2023, 2025),
        _v("410km Flagship", "bev", A, "fwd", None, 37.9, 80, 2023, 2025),
    ),
    _m(
        "Wuling", "Rongguang", "van", (4490, 1615, 1900), "LZW", 0.88, 2,
        _v("1.5L 5MT 7-seat", "petrol", M, "rwd", 1485, None, 55, 2018, 2023),
    ),
    _m(
        "Buick", "GL8 ES", "mpv", (5238, 1878, 1776), "LSG", 0.90, 3,
        _v("652T Luxury", "petrol", A, "fwd", 1998, None, 290, 2018, 2022),
        _v("653T Premium", "petrol", A, "fwd", 1998, None, 330, 2018, 2022),
    ),
    _m(
        "GAC Trumpchi", "GS8", "suv", (4835, 1935, 1820), "LMG", 0.86, 2,
        _v("390T 2WD Premium", "petrol", A, "fwd", 1991, None, 185, 2017, 2021),
        _v("390T 4WD Flagship", "petrol", A, "awd", 1991, None, 230, 2017, 2021),
    ),
    _m(
        "GAC Trumpchi", "M8", "mpv", (5089, 1884, 1822), "LMG", 0.88, 2,
        _v("390T Premium", "petrol", A, "fwd", 1991, None, 230, 2021, 2024),
    ),
    _m(
        "Hongqi", "H9", "sedan", (5137, 1904, 1493), "LFP", 0.85, 2,
        _v("2.0T Smart Joy", "petrol", D, "rwd", 1989, None, 330, 2020, 2024),
    ),
    _m(
        "Hongqi", "HS5", "suv", (4760, 1907, 1700), "LFP", 0.85, 2,
        _v("2.0T 6AT Smart", "petrol", A, "fwd", 1989, None, 190, 2019, 2023),
    ),
    _m(
        "Hongqi", "H5", "sedan", (4988, 1875, 1470), "LFP", 0.85, 2,
        _v("1.5T DCT Smart", "petrol", D, "fwd", 1498, None, 170, 2020, 2022),
    ),
    # Tesla (Giga Shanghai: LRW)
    _m(
        "Tesla", "Model 3", "sedan", (4694, 1850, 1443), "LRW", 0.88, 4,
        _v("Standard Range Plus", "bev", A, "rwd", None, 55.0, 260, 2020, 2021),
        _v("RWD", "bev", A, "rwd", None, 60.0, 250, 2022, 2023),
        _v("Long Range AWD", "bev", A, "awd", None, 78.4, 300, 2020, 2023),
    ),
    _m(
        "Tesla", "Model 3", "sedan", (4720, 1848, 1442), "LRW", 0.88, 2,
        _v("RWD", "bev", A, "rwd", None, 60.0, 245, 2024, 2025),
        _v("Long Range AWD", "bev", A, "awd", None, 78.4, 285, 2024, 2025),
    ),
    _m(
        "Tesla", "Model Y", "suv", (4750, 1921, 1624), "LRW", 0.88, 7,
        _v("RWD", "bev", A, "rwd", None, 60.0, 260, 2022, 2025),
        _v("Long Range AWD", "bev", A, "awd", None, 78.4, 300, 2021, 2025),
        _v("Performance AWD", "bev", A, "awd", None, 78.4, 360, 2021, 2024),
    ),
)
# fmt: on

# Where each make's stock tends to sit: a Guangzhou dealer sells GAC Toyota and Honda,
# an Urumqi exporter (next to the Khorgos border) sells what Central Asia buys.
HOME_CITIES: dict[str, tuple[str, ...]] = {
    "BYD": ("Hangzhou", "Guangzhou", "Urumqi"),
    "Geely": ("Hangzhou", "Urumqi"),
    "Zeekr": ("Hangzhou",),
    "Chery": ("Urumqi", "Hangzhou"),
    "Changan": ("Urumqi", "Beijing"),
    "Deepal": ("Beijing",),
    "Haval": ("Urumqi", "Beijing"),
    "Great Wall": ("Urumqi",),
    "Tank": ("Urumqi", "Beijing"),
    "ORA": ("Hangzhou",),
    "Toyota": ("Guangzhou", "Urumqi"),
    "Honda": ("Guangzhou",),
    "Volkswagen": ("Hangzhou", "Beijing"),
    "Nissan": ("Guangzhou",),
    "Hyundai": ("Beijing", "Urumqi"),
    "Kia": ("Urumqi",),
    "Mercedes-Benz": ("Beijing",),
    "BMW": ("Beijing", "Hangzhou"),
    "Audi": ("Beijing",),
    "Li Auto": ("Beijing", "Hangzhou"),
    "NIO": ("Hangzhou",),
    "XPeng": ("Guangzhou",),
    "Wuling": ("Guangzhou", "Urumqi"),
    "Buick": ("Hangzhou", "Guangzhou"),
    "GAC Trumpchi": ("Guangzhou",),
    "Hongqi": ("Beijing",),
    "Tesla": ("Hangzhou", "Beijing", "Guangzhou"),
}

COLOURS: tuple[tuple[str, int], ...] = (
    ("White", 30),
    ("Black", 17),
    ("Grey", 14),
    ("Silver", 10),
    ("Blue", 9),
    ("Pearl White", 6),
    ("Red", 6),
    ("Green", 4),
    ("Brown", 4),
)

# Body paint for the placeholder photos.
PAINT: dict[str, tuple[int, int, int]] = {
    "White": (242, 242, 238),
    "Pearl White": (236, 231, 218),
    "Black": (30, 31, 34),
    "Grey": (110, 116, 124),
    "Silver": (188, 192, 198),
    "Blue": (32, 72, 142),
    "Red": (168, 28, 32),
    "Green": (42, 102, 82),
    "Brown": (112, 78, 52),
}

CONDITION_NOTES: tuple[str, ...] = (
    "One owner, full service history at the 4S dealer.",
    "No accident, flood or fire damage; third-party inspection report available.",
    "Minor scratches on the rear bumper, interior clean.",
    "Non-smoker car, two keys, original manuals.",
    "Paint touched up on the front left door; structure intact.",
    "New tyres fitted at the last service.",
    "Export deregistration can be completed within 5 working days.",
    "Window film and ceramic coating applied by the first owner.",
    "Small chip in the windscreen, outside the driver's view.",
    "Regular maintenance every 10,000 km, records available.",
)

ZERO_KM_NOTE = (
    "Zero-mileage used car: registered once for export, never driven; "
    "export licence and deregistration ready."
)
