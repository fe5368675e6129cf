// kernel-ext/RedLeaf.Notebook/Session: the checks notebooks end with. A failed check throws, so the
// cell fails, the headless runner exits non-zero and names the notebook and cell: a wrong result is
// never silently exported.
namespace RedLeaf.Notebook.Session;

public sealed class CheckFailedException : Exception
{
    public CheckFailedException(string message) : base(message) { }
}

public static class Checks
{
    /// <summary>Throws <see cref="CheckFailedException"/> naming <paramref name="what"/> unless <paramref name="ok"/>.</summary>
    public static void Check(bool ok, string what)
    {
        if (!ok) throw new CheckFailedException($"check failed: {what}");
    }

    /// <summary>Checks equality and reports both values when they differ.</summary>
    public static void CheckEqual<T>(T expected, T actual, string what)
    {
        if (!EqualityComparer<T>.Default.Equals(expected, actual))
            throw new CheckFailedException($"check failed: {what}: expected {expected}, got {actual}");
    }
}
