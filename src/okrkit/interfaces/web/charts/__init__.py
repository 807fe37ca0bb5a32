"""Charts of the web pages, one module per chart: the XmR chart of a KPI with its text
summary (`xmr`), its sparkline (`sparklines`), a key result's chart — check-ins, the
line from start to target, the forecast with its 95 % band — with its summary
(`key_results`), and the Vega bundle that draws Vega-Lite in the browser (`bundle`).

A process that serves pages imports neither Altair nor vl-convert: the charts'
templates and the bundle are read from the user's cache folder, and built there only
when it lacks them (`okrkit serve` prepares the templates before its workers start).
"""

__all__ = ["bundle", "key_results", "sparklines", "xmr"]
