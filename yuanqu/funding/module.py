"""项目资金: the module's declaration (yuanqu.core.modules)."""

from yuanqu.core.modules import ModuleSpec

MODULE = ModuleSpec(
    key="funding",
    label="项目资金",
    write_area="funding",
    write_label="项目资金（专项债、政策性开发性金融工具等）的申报、下达、到位与支出",
    importers=("yuanqu.funding.importers",),
    departments=(("CZJ", "财政局"),),
)
