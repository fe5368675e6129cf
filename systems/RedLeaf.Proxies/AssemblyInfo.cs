// systems/RedLeaf.Proxies: this assembly's code is all generated (see obj/**/generated); the attributes below tell
// the IDL compiler which interface assemblies to write proxies for: the project's IDL, and the few
// [DomainInterface]s the ABI itself declares (IInterruptHandler, IThreadBody).
[assembly: System.Reflection.AssemblyDescription("RedLeaf.NET generated proxies for domains/Interfaces and the ABI's interfaces")]
[assembly: RedLeaf.Os.Proxies.ProxiesFor("RedLeaf.Interfaces")]
[assembly: RedLeaf.Os.Proxies.ProxiesFor("RedLeaf.Abi")]
