"""(being built)"""


def load_supervision():
    return None
