def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true",
                     help="Rewrite the stored golden pages from the current output (review the diff!).")
