// benchmarks/RedLeaf.Benchmarks.Dotnet: entry point; BenchmarkDotNet's own command line (--filter, --job, ...).
using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(RedLeaf.Benchmarks.Dotnet.CallBenchmarks).Assembly).Run(args);
