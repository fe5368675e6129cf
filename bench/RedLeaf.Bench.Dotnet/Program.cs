// bench/RedLeaf.Bench.Dotnet: entry point; BenchmarkDotNet's own command line (--filter, --job, ...).
using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(RedLeaf.Bench.Dotnet.CallBenchmarks).Assembly).Run(args);
