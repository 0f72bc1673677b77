// dotnet run -c Release --project tests/Benchmarks -- projections "Host=127.0.0.1;Port=5432;Username=postgres"
if (args.Length < 2 || args[0] != "projections")
{
    Console.Error.WriteLine("usage: projections <admin connection string of a cluster>");
    return 2;
}
await CustomerAccess.Benchmarks.ProjectionBenchmarks.RunAsync(args[1]);
return 0;
