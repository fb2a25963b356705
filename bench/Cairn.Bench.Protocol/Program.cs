// Runs the protocol benchmarks: dotnet run -c Release --project bench/Cairn.Bench.Protocol -- --job short --filter '*'
using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(Cairn.Bench.Protocol.MessageCodecBenchmarks).Assembly).Run(args);
