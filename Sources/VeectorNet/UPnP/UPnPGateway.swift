import CMiniUPnPc
import VeectorWire

/// A UPnP Internet Gateway Device (a home router) found with miniupnpc: what lets a node behind NAT ask
/// for its ports to be forwarded. Every call blocks on HTTP/SOAP (milliseconds on a LAN, seconds when
/// the router is slow): run them off the event loops.
public struct UPnPGateway: Sendable, Equatable {
    /// The WAN connection service's control URL (the SOAP endpoint).
    public let controlURL: String
    /// The service type (`urn:schemas-upnp-org:service:WANIPConnection:1` or the PPP one).
    public let serviceType: String
    /// The root description URL the gateway was read from.
    public let rootDescriptionURL: String
    /// This host's address on the gateway's LAN, as miniupnpc found it (the mapping's internal client).
    public let lanAddress: IPv4Address

    /// Looks for a gateway with SSDP multicast for up to `delayMilliseconds`; never call it on a network
    /// you do not own in tests (use a network namespace).
    public static func discover(delayMilliseconds: Int32 = 2000) throws(NetError) -> UPnPGateway {
        var error: Int32 = 0
        guard let devices = upnpDiscover(delayMilliseconds, nil, nil, 0, 0, 2, &error) else {
            throw .upnp(operation: "discovery", reason: "no UPnP device answered within \(delayMilliseconds) ms (error \(error))")
        }
        defer { freeUPNPDevlist(devices) }
        var urls = UPNPUrls()
        var data = IGDdatas()
        var lan = [CChar](repeating: 0, count: 64)
        let found = UPNP_GetValidIGD(devices, &urls, &data, &lan, Int32(lan.count))
        defer { if found != 0 { FreeUPNPUrls(&urls) } }
        switch found {
        case 1: break
        case 2: throw .upnp(operation: "discovery", reason: "the gateway reports its WAN link as not connected")
        case 3: throw .upnp(operation: "discovery", reason: "a UPnP device answered but it is not an Internet gateway")
        default: throw .upnp(operation: "discovery", reason: "no Internet gateway device found")
        }
        return try make(urls: urls, data: data, lan: lan)
    }

    /// Reads the gateway whose root description is at `url` (skips SSDP discovery).
    public static func fromRootDescription(url: String) throws(NetError) -> UPnPGateway {
        var urls = UPNPUrls()
        var data = IGDdatas()
        var lan = [CChar](repeating: 0, count: 64)
        guard UPNP_GetIGDFromUrl(url, &urls, &data, &lan, Int32(lan.count)) == 1 else {
            throw .upnp(operation: "reading \(url)", reason: "no Internet gateway description there")
        }
        defer { FreeUPNPUrls(&urls) }
        return try make(urls: urls, data: data, lan: lan)
    }

    private static func make(urls: UPNPUrls, data: IGDdatas, lan: [CChar]) throws(NetError) -> UPnPGateway {
        guard let control = urls.controlURL, let root = urls.rootdescURL else {
            throw .upnp(operation: "discovery", reason: "the gateway description has no control URL")
        }
        let service = withUnsafeBytes(of: data.first.servicetype) { raw in
            String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
        }
        let lanText = String(decoding: lan.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        guard let lanAddress = IPv4Address(lanText) else {
            throw .upnp(operation: "discovery", reason: "miniupnpc reported no IPv4 LAN address ('\(lanText)')")
        }
        return UPnPGateway(controlURL: String(cString: control), serviceType: service,
                           rootDescriptionURL: String(cString: root), lanAddress: lanAddress)
    }

    /// The gateway's public (WAN) address.
    public func externalAddress() throws(NetError) -> IPv4Address {
        var buffer = [CChar](repeating: 0, count: 40)
        let rc = UPNP_GetExternalIPAddress(controlURL, serviceType, &buffer)
        guard rc == 0 else { throw .upnp(operation: "GetExternalIPAddress", reason: Self.describe(rc)) }
        let text = String(decoding: buffer.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        guard let address = IPv4Address(text) else {
            throw .upnp(operation: "GetExternalIPAddress", reason: "the gateway answered '\(text)', not an IPv4 address")
        }
        return address
    }

    /// Forwards `mapping.externalPort` on the gateway to `mapping.internalPort` on this host, for
    /// `mapping.leaseSeconds` (0 asks for a permanent mapping, which some routers refuse).
    public func add(_ mapping: PortMapping) throws(NetError) {
        let rc = UPNP_AddPortMapping(controlURL, serviceType, String(mapping.externalPort), String(mapping.internalPort),
                                     lanAddress.description, mapping.description, mapping.transport.rawValue, nil,
                                     String(mapping.leaseSeconds))
        guard rc == 0 else {
            throw .upnp(operation: "AddPortMapping \(mapping.transport.rawValue) \(mapping.externalPort)", reason: Self.describe(rc))
        }
    }

    /// Removes the forwarding of `externalPort`/`transport`.
    public func remove(externalPort: UInt16, transport: PortMapping.Transport) throws(NetError) {
        let rc = UPNP_DeletePortMapping(controlURL, serviceType, String(externalPort), transport.rawValue, nil)
        guard rc == 0 else {
            throw .upnp(operation: "DeletePortMapping \(transport.rawValue) \(externalPort)", reason: Self.describe(rc))
        }
    }

    private static func describe(_ code: Int32) -> String {
        if let text = strupnperror(code) { return "\(String(cString: text)) (\(code))" }
        return "error \(code)"
    }
}

/// One port forwarding asked of a gateway.
public struct PortMapping: Codable, Sendable, Equatable {
    /// UDP (the DHT) or TCP (sessions).
    public enum Transport: String, Codable, Sendable { case udp = "UDP", tcp = "TCP" }

    /// Which protocol.
    public var transport: Transport
    /// The port on the gateway's public address.
    public var externalPort: UInt16
    /// The port on this host.
    public var internalPort: UInt16
    /// How long the gateway keeps it, in seconds.
    public var leaseSeconds: Int
    /// The label routers show ("veenode").
    public var description: String

    /// Makes a mapping.
    public init(transport: Transport, externalPort: UInt16, internalPort: UInt16, leaseSeconds: Int, description: String = "veenode") {
        self.transport = transport
        self.externalPort = externalPort
        self.internalPort = internalPort
        self.leaseSeconds = leaseSeconds
        self.description = description
    }
}
