"""土地: the module's declaration (yuanqu.core.modules)."""

from yuanqu.core.modules import DemoPart, ModuleSpec

MODULE = ModuleSpec(
    key="land",
    label="土地",
    write_area="land",
    write_label="土地收储、征收、供应（出让）与宗地环节",
    importers=("yuanqu.land.importers",),
    report_sections=("yuanqu.land.report_sections",),
    demo_parts=(DemoPart("land", "1", "yuanqu.land.demo:load_land", 45),),
    departments=(("GHJSJ", "规划建设局"),),
)
