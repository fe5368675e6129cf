// os/proxies: this assembly's code is all generated (see obj/**/generated). This file only exists
// so the project has a source of its own.
[assembly: System.Reflection.AssemblyDescription("RedLeaf.NET generated proxies for domains/Interfaces")]
