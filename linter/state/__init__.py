"""What the user keeps between runs: configuration, inline suppressions, the baseline and SARIF
merging of sharded runs.
"""
