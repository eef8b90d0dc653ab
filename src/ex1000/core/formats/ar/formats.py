# Django's Arabic formats have no date-time ones, so times fell back to the US "m/d/Y P"
# (12/02/2026 for 2 December). Day first, as the Arabic short date; 24-hour time.
DATETIME_FORMAT = "j F، Y، H:i"
SHORT_DATETIME_FORMAT = "d\u200f/m\u200f/Y H:i"
