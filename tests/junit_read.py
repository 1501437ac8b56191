"""Reads a JUnit XML report with junitparser (a JUnit consumer) and prints what it understood."""
import json
import sys

from junitparser import Error, Failure, JUnitXml, Skipped

xml = JUnitXml.fromfile(sys.argv[1])
suites = []
for suite in xml:
    cases = []
    for case in suite:
        kinds = [type(r).__name__ for r in case.result]
        cases.append({
            "name": case.name,
            "classname": case.classname,
            "result": kinds[0].lower() if kinds else "passed",
            "message": next((r.message for r in case.result if isinstance(r, (Failure, Error, Skipped))), None),
        })
    suites.append({"name": suite.name, "tests": suite.tests, "failures": suite.failures, "skipped": suite.skipped, "cases": cases})
json.dump(suites, sys.stdout)
