"""The reports' theme constants, importable without plotly or pyecharts (a kernel imports this in ms).

The indicator pages and the city explorer draw with echarts in the browser (app_*.js) and only
need these values; ``analysis.publish.charts`` holds the same ones for the plotly and pyecharts
charts (tests/test_grapher.py fails when the two drift apart).
"""

FONT = "Noto Sans CJK SC"
FONT_STACK = f'"{FONT}", "Noto Sans SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif'
PALETTE = ["#3360a9", "#c15065", "#18470f", "#e56e5a", "#6d3e91", "#286bbb", "#883039", "#b16214",
           "#00847e", "#4c6a9c"]
