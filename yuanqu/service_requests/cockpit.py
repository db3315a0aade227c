"""(being built)"""


def requests_card(park, period):
    return None
