"""dybench: the pieces of bench/run and bench/compare (bench/README.md).

util      running commands, timing them, small statistics
machine   the machine, the toolchain and what makes a report repeatable
limits    this machine's physical limits and dactyl's kernels beside them
grid      dactyl runs over a grid of ranks x threads, strong and weak scaling
peers     the same reads through KMC3, Jellyfish, minia, MEGAHIT and ABySS
validate  whether a run's numbers count: recount, identity, the evaluator
report    report.json, report.csv, the summary and the headline
plots     the gnuplot PNGs
schema    a small JSON-Schema checker for report.json (no third-party module)
"""
