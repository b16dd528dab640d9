import Shared

extension Server {
    /// `CAP LS [302]`, `CAP LIST`, `CAP REQ :caps`, `CAP END` (IRCv3 capability negotiation).
    func handleCap(_ client: Client, _ message: IRCMessage) {
        let subcommand = message.params[0].uppercased()
        switch subcommand {
        case "LS":
            if !client.isRegistered { client.capNegotiationOpen = true }
            if let version = message.param(1).flatMap({ Int($0) }) { client.capVersion = max(client.capVersion, version) }
            if client.capVersion >= 302 { client.caps.insert(.capNotify) }
            let items = CapSet.offered.map { entry -> String in
                if client.capVersion >= 302, let value = entry.value { return "\(entry.name)=\(value)" }
                return entry.name
            } + extraCapabilities(for: client)
            sendCapList(client, "LS", items)
        case "LIST":
            let names = CapSet.offered.filter { client.caps.contains($0.bit) }.map(\.name) + enabledExtraCapabilities(for: client)
            sendCapList(client, "LIST", names)
        case "REQ":
            if !client.isRegistered { client.capNegotiationOpen = true }
            let requested = (message.param(1) ?? "").split(separator: " ").map(String.init)
            var adding: CapSet = []
            var removing: CapSet = []
            var accepted = !requested.isEmpty
            for item in requested {
                let removal = item.hasPrefix("-")
                let name = removal ? String(item.dropFirst()) : item
                guard let bit = capabilityBit(named: name) else {
                    accepted = false
                    break
                }
                if removal { removing.insert(bit) } else { adding.insert(bit) }
            }
            let text = message.param(1) ?? ""
            guard accepted else {
                send(IRCMessage(source: config.serverName, command: "CAP", params: [client.displayNick, "NAK", text]), to: client)
                return
            }
            let hadRoster = client.has(.roster)
            client.caps.subtract(removing)
            client.caps.formUnion(adding)
            send(IRCMessage(source: config.serverName, command: "CAP", params: [client.displayNick, "ACK", text]), to: client)
            rosterCapabilityChanged(client, had: hadRoster)
        case "END":
            guard !client.isRegistered else { return }
            client.capNegotiationOpen = false
            tryCompleteRegistration(client)
        default:
            reply(client, "410", subcommand, "Invalid CAP command")
        }
    }

    /// Sends `CAP * LS/LIST`, split over several lines with the `*` continuation marker when long.
    private func sendCapList(_ client: Client, _ subcommand: String, _ items: [String]) {
        let packed = LinePacking.pack(items, separator: " ", budget: 399)
        // An empty list is still one (empty) reply.
        let lines = packed.isEmpty ? [""] : packed
        for (index, line) in lines.enumerated() {
            var params = [client.displayNick, subcommand]
            if index < lines.count - 1 && client.capVersion >= 302 { params.append("*") }
            params.append(line)
            send(IRCMessage(source: config.serverName, command: "CAP", params: params), to: client)
        }
    }
}
