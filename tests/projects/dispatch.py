"""A 调度表 as parks keep it: title, units line, a two-row merged header, 省重点 / 市重点 blocks
with heading and subtotal rows, a 合计 row. Written with openpyxl (plain values, real merges)."""

from __future__ import annotations

import csv
from pathlib import Path

from openpyxl import Workbook

HEAD_1 = [
    "序号",
    "项目名称",
    "建设内容及规模",
    "总投资",
    "2022年投资情况",
    "",
    "",
    "形象进度",
    "存在问题",
    "责任单位",
    "包保领导",
]
HEAD_2 = ["", "", "", "", "年度计划投资", "1-10月完成投资", "完成率(%)", "", "", "", ""]
BODY = [
    ["一、省重点项目（2个）", "", "", 80000, 30000, 26000, 86.7, "", "", "", ""],
    [
        1,
        "甲新材料项目",
        "年产10万吨新材料",
        50000,
        20000,
        18000,
        90,
        "主体封顶",
        "用地指标待落实",
        "项目办",
        "张三",
    ],
    [2, "乙智能制造项目", "智能产线", 30000, 10000, 8000, 80, "设备安装", "", "经发局", "李四"],
    ["二、市重点项目（1个）", "", "", 12000, 5000, 5500, 110, "", "", "", ""],
    [1, "丙配套道路工程", "道路3公里", 12000, 5000, 5500, 110, "已竣工", "", "规划建设局", "王五"],
    ["", "小计", "", 12000, 5000, 5500, 110, "", "", "", ""],
    ["合计", "", "", 92000, 35000, 31500, 90, "", "", "", ""],
]


def write_dispatch_xlsx(path: Path, *, unit: str | None = "万元", scale: int = 1) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "调度表"
    ws.append(["2022年1-10月示范工业园区省市重点项目推进情况调度表"])
    ws.merge_cells("A1:K1")
    if unit:
        ws.append([f"单位：{unit}"])
    first = ws.max_row + 1
    ws.append(HEAD_1)
    ws.append(HEAD_2)
    for col in "ABCDHIJK":
        ws.merge_cells(f"{col}{first}:{col}{first + 1}")
    ws.merge_cells(f"E{first}:G{first}")
    for row in BODY:
        ws.append(
            [v / scale if isinstance(v, int) and i in (3, 4, 5) else v for i, v in enumerate(row)]
        )
    wb.save(path)
    return path


def write_dispatch_csv(path: Path) -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["2022年1-10月重点项目调度表"])
        w.writerow(["单位：万元"])
        w.writerow(HEAD_1)
        w.writerow(HEAD_2)
        for row in BODY:
            w.writerow(row)
    return path
