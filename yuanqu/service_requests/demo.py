"""(being built)"""


def load_service():
    return None
