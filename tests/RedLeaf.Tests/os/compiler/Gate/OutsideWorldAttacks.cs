// tests/os/compiler/Gate: domains that try to act on the process or the world instead of through their
// interfaces: AppContext switches, Environment.Exit/FailFast and variables, starting processes,
// files, directories, sockets, the console (and redirecting it), the app domain, assembly loading,
// the debugger. Each is refused at compile time: by the IL gate, or by C# itself when the API lives
// in an assembly the domain reference set does not contain.
using RedLeaf.Os.Compiler.Gate;
using Xunit;
using static RedLeaf.Tests.Hostile.HostileKit;

namespace RedLeaf.Tests.Hostile;

[Trait("suite", "hostile")]
public class OutsideWorldAttacks
{
    [Fact]
    public void AppContextSetDataFlipsAProcessWideSwitch() => Refused(Source("""
                AppContext.SetData("System.GC.Server", true); // <-
                return 0;
        """), GateIds.Environment, "System.AppContext.SetData");

    [Fact]
    public void AppContextSetSwitch() => Refused(Source("""
                AppContext.SetSwitch("System.Runtime.Serialization.EnableUnsafeBinaryFormatterSerialization", true); // <-
                return 0;
        """), GateIds.Environment, "System.AppContext.SetSwitch");

    [Fact]
    public void EnvironmentExitEndsTheProcess() => Refused(Source("""
                Environment.Exit(3); // <-
                return 0;
        """), GateIds.Environment, "System.Environment.Exit");

    [Fact]
    public void EnvironmentFailFastEndsTheProcess() => Refused(Source("""
                Environment.FailFast("the hostile suite says goodbye"); // <-
                return 0;
        """), GateIds.Environment, "System.Environment.FailFast");

    [Fact]
    public void EnvironmentVariablesAreTheProcesss() => Refused(Source("""
                Environment.SetEnvironmentVariable("REDLEAF_KEY_DIR", "/tmp/mine"); // <-
                return 0;
        """), GateIds.Environment, "System.Environment.SetEnvironmentVariable");

    [Fact]
    public void ProcessStartRunsAShell() => Refused(Source("""
                System.Diagnostics.Process.Start("/bin/sh", "-c 'rm -rf ~'"); // <-
                return 0;
        """), "CS0234", "'Process'");

    [Fact]
    public void FileReadAllTextReadsTheMachineKey() => Refused(Source("""
                var key = System.IO.File.ReadAllText(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile) + "/.local/share/redleaf/machine-key.pem"); // <-
                return key.Length;
        """), GateIds.InputOutput, "System.IO.File.ReadAllText");

    [Fact]
    public void FileWriteAllTextPlantsAFile() => Refused(Source("""
                System.IO.File.WriteAllText("/tmp/redleaf-hostile-was-here", "x"); // <-
                return 0;
        """), GateIds.InputOutput, "System.IO.File.WriteAllText");

    [Fact]
    public void AFileStream() => Refused(Source("""
                using var s = new System.IO.FileStream("/etc/hostname", System.IO.FileMode.Open); // <-
                return s.Length;
        """), GateIds.InputOutput, "System.IO.FileStream");

    [Fact]
    public void DirectoryListingAndDeleting() => Refused(Source("""
                foreach (var d in System.IO.Directory.GetDirectories("/tmp")) // <-
                    System.IO.Directory.Delete(d, recursive: true);
                return 0;
        """), GateIds.InputOutput, "System.IO.Directory.GetDirectories");

    [Fact]
    public void ASocketToTheInternet() => Refused(Source("""
                var s = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp); // <-
                return 0;
        """), "CS0234", "'Sockets'");

    [Fact]
    public void ConsoleRedirection() => Refused(Source("""
                Console.SetOut(System.IO.TextWriter.Null); // <- silence the kernel's console
                return 0;
        """), "CS0103", "'Console'");

    [Fact]
    public void ConsoleWriteLine() => Refused(Source("""
                System.Console.WriteLine("hello from a domain"); // <-
                return 0;
        """), "CS0234", "a domain reports by what its interface methods return");

    [Fact]
    public void AppDomainListsEveryAssembly() => Refused(Source("""
                return AppDomain.CurrentDomain.GetAssemblies().Length; // <-
        """), GateIds.Environment, "System.AppDomain.CurrentDomain");

    [Fact]
    public void AssemblyLoadContextLoadsAnotherAssembly() => Refused(Source("""
                System.Runtime.Loader.AssemblyLoadContext.Default.LoadFromAssemblyPath("/tmp/evil.dll"); // <-
                return 0;
        """), GateIds.Environment, "System.Runtime.Loader.AssemblyLoadContext");

    [Fact]
    public void DebuggerBreak() => Refused(Source("""
                System.Diagnostics.Debugger.Break(); // <-
                return 0;
        """), GateIds.Environment, "System.Diagnostics.Debugger.Break");
}
