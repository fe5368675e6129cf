// os/proxies: this assembly's code is all generated (see obj/**/generated); the attribute below tells
// the IDL compiler which interface assembly to write proxies for.
[assembly: System.Reflection.AssemblyDescription("RedLeaf.NET generated proxies for domains/Interfaces")]
[assembly: RedLeaf.Os.Proxies.ProxiesFor("RedLeaf.Interfaces")]
