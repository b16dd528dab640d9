import Shared

/// Where accounts and history hook into the message flow. Without a store (history off and no
/// accounts yet) every hook takes the direct path.
extension Server {
    func passGiven(_ client: Client, _ password: String) {}

    /// Why `client` may not take the nick `folded` (a registered account's nick), or nil.
    func nickRefusal(_ client: Client, folded: String) -> String? { nil }

    func registrationMayComplete(_ client: Client) -> Bool { true }

    func registrationCompleted(_ client: Client) {}

    func userDeparted(_ client: Client) {}

    func roomJoined(_ client: Client, room: Room) {}

    func extraCapabilities(for client: Client) -> [String] { [] }

    func enabledExtraCapabilities(for client: Client) -> [String] { [] }

    func capabilityBit(named name: String) -> CapSet? { CapSet.entry(named: name)?.bit }

    func extraISupportTokens() -> [String] { [] }

    /// Stores a direct message for an offline account; false when `target` is no account.
    func offlineDelivery(_ client: Client, command: String, target: String, text: String, clientTags: [IRCTag]) -> Bool { false }

    func relayAfterStoring(_ message: IRCMessage, from client: Client, to recipients: [Client], target: MessageTarget, store: Bool) {
        relay(message, to: recipients)
    }

    func handleWake() {}

    func shutdownStorage() {}
}
