"""Messages between buyers, suppliers and operators; for now the off-platform-payment detector."""
