"""Basket statistics for gold/basket_stats: reads [{"eur": …, "items": …}] from argv[1].

Run by Weir through ctx.exec; weir_pipes (plugins/weir-pipes-python, on PYTHONPATH) reports
metadata and a check back to the step. print() lines go to the run's log.
"""
import json
import statistics
import sys

import weir_pipes

with open(sys.argv[1]) as f:
    orders = json.load(f)
print(f"read {len(orders)} orders for run {weir_pipes.context()['run_id']}")

values = sorted(order["eur"] for order in orders)
items = [order["items"] for order in orders]
weir_pipes.progress(1, 2, "orders read")
quartiles = statistics.quantiles(values, n=4) if len(values) >= 2 else [0.0, 0.0, 0.0]
weir_pipes.report_metadata(
    rows=len(orders),
    avg_items=round(statistics.fmean(items), 2) if items else 0.0,
    p25_eur=round(quartiles[0], 2),
    median_eur=round(quartiles[1], 2),
    p75_eur=round(quartiles[2], 2),
)
weir_pipes.report_check(
    "order values not negative",
    passed=all(value >= 0 for value in values),
    message=f"smallest {values[0]:.2f} EUR" if values else "no orders",
)
weir_pipes.progress(2, 2, "done")
