/// allow-host: the hosts the sandbox's egress proxy may reach. Any line gives the sandbox its own
/// network with only loopback and the proxy in it, and points the program's proxy variables there.
extension Compilation {
    mutating func applyEgress(_ option: ParsedOption) throws(UsageError) {
        switch AllowedHost.parse(option.arguments[0].lossy) {
        case .success(let host): plan.egress.lines.append(AllowHostLine(host, origin: option.origin))
        case .failure(let error): throw UsageError(option.origin, "\(error.message)")
        }
    }

    /// After every option: the proxy is the sandbox's only way out, or there is none.
    mutating func settleEgress() throws(UsageError) {
        guard let first = plan.egress.lines.first else { return }
        guard plan.namespaces.contains(.net) else {
            throw UsageError(first.origin, "allow-host cannot be combined with share-net: "
                + "the proxy is the sandbox's only way out, "
                + "and with the host's network the program would not need it (drop share-net)")
        }
        let variables = ProfileVariables(host: host)
        if let hosts = variables.value(of: "SBOX_HOSTS") { plan.egress.hostsFile = hosts }
        if let resolver = variables.value(of: "SBOX_RESOLV_CONF") { plan.egress.resolverFile = resolver }
        // The program's own proxy variables would lead nowhere from inside: sbox's replace them.
        let names: [ByteString] = ["http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "all_proxy",
                                   "no_proxy", "NO_PROXY", "ftp_proxy", "FTP_PROXY"]
        plan.environment.removeAll { names.contains(PlanCompiler.variableName($0)) }
        plan.environment += plan.egress.environment
    }
}
