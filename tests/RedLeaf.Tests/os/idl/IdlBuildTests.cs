// tests/os/idl: the IDL compiler as a user meets it: a real `dotnet build` of a small project whose
// domain interface carries a non-exchangeable type fails, and the build output names the rule, the
// member and the type. (IdlTests beside this file drive the generator in-process for each rule.)
using System.Diagnostics;
using Xunit;

namespace RedLeaf.Tests.Idl;

[Trait("suite", "kernel")]
public class IdlBuildTests
{
    private static (int Exit, string Output) Build(string interfaceSource)
    {
        var dir = Directory.CreateTempSubdirectory("redleaf-idl-").FullName;
        try
        {
            string bin = AppContext.BaseDirectory;
            File.WriteAllText(Path.Combine(dir, "Idl.csproj"), $"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <TargetFramework>net10.0</TargetFramework>
                    <Nullable>enable</Nullable>
                    <ImportDirectoryBuildProps>false</ImportDirectoryBuildProps>
                    <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally>
                  </PropertyGroup>
                  <ItemGroup>
                    <Reference Include="RedLeaf.Abi"><HintPath>{Path.Combine(bin, "RedLeaf.Abi.dll")}</HintPath></Reference>
                    <Analyzer Include="{Path.Combine(bin, "RedLeaf.Idl.dll")}" />
                  </ItemGroup>
                </Project>
                """);
            File.WriteAllText(Path.Combine(dir, "IFoo.cs"), interfaceSource);
            var psi = new ProcessStartInfo("dotnet", new[] { "build", dir, "-nologo", "-v:q", "-p:UseSharedCompilation=false" })
            { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = dir };
            using var p = Process.Start(psi)!;
            var output = p.StandardOutput.ReadToEndAsync();
            var error = p.StandardError.ReadToEndAsync();
            if (!p.WaitForExit(180_000)) { p.Kill(true); throw new TimeoutException("dotnet build ran over 3 minutes"); }
            return (p.ExitCode, output.Result + error.Result);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void AnInterfaceWithANonExchangeableMemberFailsTheBuild()
    {
        var (exit, output) = Build("""
            using RedLeaf.Abi;
            namespace Homework;
            [DomainInterface]
            public interface IFoo
            {
                RpcResult<long> Ok(long x);
                RpcResult Greet(string name);
            }
            """);
        Assert.NotEqual(0, exit);
        Assert.Contains("RLIDL001", output);
        Assert.Contains("IFoo.Greet parameter 'name'", output);
        Assert.Contains("string", output);
        Assert.Contains("IFoo.cs(7,", output); // the line of the offending parameter
    }

    [Fact]
    public void AValidInterfaceBuilds()
    {
        var (exit, output) = Build("""
            using RedLeaf.Abi;
            namespace Homework;
            public struct Point { public long X, Y; }
            [DomainInterface]
            public interface IFoo
            {
                RpcResult<long> Sum(RRef<Point> p);
                RpcResult Show(in RRefArray<byte> text);
            }
            """);
        Assert.True(exit == 0, output);
    }
}
