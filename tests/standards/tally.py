"""The count of a standards check's results: each failure printed with why, and the closing
line the test runner sums (`NAME: N passed, M failed`)."""


class Tally:
    """Passed and failed checks of one run, named `name` in its closing line."""

    def __init__(self, name):
        self.name = name
        self.passed = 0
        self.failed = 0

    def result(self, ok, label, why=()):
        """Counts one check; a failed one is printed as `FAIL label`, then each line of `why`."""
        if ok:
            self.passed += 1
        else:
            self.failed += 1
            print(f"FAIL {label}")
            for line in why:
                print(f"    {line}")

    def close(self):
        """Prints the closing line; the exit code: 1 when anything failed."""
        print(f"{self.name}: {self.passed} passed, {self.failed} failed")
        return 1 if self.failed else 0
