"""The course report: the activity ledger every block feeds, its rows, summary and files.

``ledger`` records (called by the shared hooks of ``blocks/base.py``); ``rows`` streams one row per
learner per block; ``summary`` computes the summary tables with aggregate queries; ``writers``
produces the CSV or XLSX file.  No XBlock imports here.
"""
