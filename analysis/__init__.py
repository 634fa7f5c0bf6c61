"""民政事业“十四五”规划比较分析 — compare Chinese cities' civil-affairs five-year plan targets.

Stages (one module each): ingest → clean → passages → extract → align → db → queries → charts/report.
"""

__version__ = "0.1.0"
