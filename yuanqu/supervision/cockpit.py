"""(being built)"""


def lights_card(park, period):
    return None
