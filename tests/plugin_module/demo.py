"""碳排放's demo part (ModuleSpec.demo_parts): records each load, so a test sees it ran once."""

LOADS: list[str] = []


def load_carbon() -> None:
    LOADS.append("carbon")
