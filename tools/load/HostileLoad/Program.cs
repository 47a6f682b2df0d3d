using HostileLoad;

// Hostile and heavy input against a running terminal on loopback (issue 25). README.md beside this file says how.
Options options;
try
{
    options = Options.Parse(args);
}
catch (UsageException e)
{
    Console.Error.WriteLine($"hostile-load: {e.Message}");
    Console.Error.WriteLine(Options.Usage);
    return 2;
}
if (options.Help)
{
    Console.WriteLine(Options.Usage);
    return 0;
}
try
{
    return await LoadRun.RunAsync(options);
}
catch (ToolFailure e)
{
    Console.Error.WriteLine($"hostile-load: {e.Message}");
    return 2;
}
catch (Exception e)
{
    Console.Error.WriteLine($"hostile-load: the tool itself failed: {e}");
    return 2;
}
