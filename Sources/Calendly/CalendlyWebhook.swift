public import OutboundHTTP
public import Foundation

/// A verified Calendly delivery: the envelope `{event, created_at, created_by, payload}`
/// (providers.md §1.3) with the payload decoded by event name.
///
/// Parse only bytes that `CalendlySignatureVerifier` accepted. A body that is not JSON, or an
/// invitee or no-show payload missing a required field, throws `malformedPayload` (the app
/// answers 400 and stores nothing).
public struct CalendlyWebhook: Sendable, Equatable {
    /// The event name as sent (`invitee.created`).
    public var name: String
    /// When Calendly created the webhook event; the same on every retry of one delivery.
    public var createdAt: Date
    /// `created_at` exactly as sent, for the delivery key.
    public var createdAtText: String
    /// The user URI that owns the subscription or resource.
    public var createdBy: String?
    public var event: CalendlyEvent

    public init(name: String, createdAt: Date, createdAtText: String, createdBy: String?, event: CalendlyEvent) {
        self.name = name
        self.createdAt = createdAt
        self.createdAtText = createdAtText
        self.createdBy = createdBy
        self.event = event
    }

    public static func parse(_ body: [UInt8]) throws(ProviderError) -> CalendlyWebhook {
        try self.parse(Data(body))
    }

    public static func parse(_ body: Data) throws(ProviderError) -> CalendlyWebhook {
        do {
            return try JSONDecoder().decode(Wire.self, from: body).webhook
        } catch let error as DecodingError {
            throw ProviderError(.calendly, .malformedPayload, Self.describe(error))
        } catch {
            throw ProviderError(.calendly, .malformedPayload, "the body is not a Calendly webhook")
        }
    }

    /// Names the failing field path without quoting values from the body.
    static func describe(_ error: DecodingError) -> String {
        func path(_ keys: [any CodingKey]) -> String {
            let parts = keys.map { key in key.intValue.map { "[\($0)]" } ?? key.stringValue }
            return parts.isEmpty ? "the body" : parts.joined(separator: ".").replacingOccurrences(of: ".[", with: "[")
        }
        switch error {
        case .keyNotFound(let key, let context):
            return "missing field \(path(context.codingPath + [key]))"
        case .valueNotFound(_, let context):
            return "null field \(path(context.codingPath))"
        case .typeMismatch(_, let context):
            return "wrong type at \(path(context.codingPath))"
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty { return "the body is not valid JSON" }
            return "unreadable value at \(path(context.codingPath))"
        @unknown default:
            return "the body is not a Calendly webhook"
        }
    }
}

/// What happened, by the envelope's `event`.
public enum CalendlyEvent: Sendable, Equatable {
    case inviteeCreated(Invitee)
    case inviteeCanceled(Invitee)
    case noShowCreated(NoShow)
    case noShowDeleted(NoShow)
    /// Any other event (`routing_form_submission.created`, `event_type.*`…): acknowledged with
    /// 2xx and ignored. `resourceURI` is the payload's `uri` when it has one.
    case other(name: String, resourceURI: String?)

    public static let inviteeCreatedName = "invitee.created"
    public static let inviteeCanceledName = "invitee.canceled"
    public static let noShowCreatedName = "invitee_no_show.created"
    public static let noShowDeletedName = "invitee_no_show.deleted"
}

/// An `invitee_no_show.*` payload. Calendly documents it as the invitee with `no_show` set, but
/// our own deliveries have not confirmed that (providers.md §1.6), so a bare no-show resource
/// `{uri, invitee, created_at}` is read too: then only `inviteeURI` and `noShowURI` are known.
public struct NoShow: Sendable, Equatable {
    public var inviteeURI: String
    /// `https://api.calendly.com/invitee_no_shows/{uuid}`, when the payload carries it.
    public var noShowURI: String?
    public var markedAt: Date?
    /// The whole invitee, when the payload is one.
    public var invitee: Invitee?

    public init(inviteeURI: String, noShowURI: String?, markedAt: Date?, invitee: Invitee?) {
        self.inviteeURI = inviteeURI
        self.noShowURI = noShowURI
        self.markedAt = markedAt
        self.invitee = invitee
    }
}

extension CalendlyWebhook {
    /// The JSON shape; `CalendlyWebhook` is what callers see.
    private struct Wire: Decodable {
        var webhook: CalendlyWebhook

        enum CodingKeys: String, CodingKey {
            case event, payload
            case createdAt = "created_at"
            case createdBy = "created_by"
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            let name = try container.decode(String.self, forKey: .event)
            let createdAtText = try container.decode(String.self, forKey: .createdAt)
            let createdAt = try container.decodeTimestamp(forKey: .createdAt)
            let createdBy = try container.decodeIfPresent(String.self, forKey: .createdBy)
            let event: CalendlyEvent
            switch name {
            case CalendlyEvent.inviteeCreatedName:
                event = .inviteeCreated(try container.decode(Invitee.self, forKey: .payload))
            case CalendlyEvent.inviteeCanceledName:
                event = .inviteeCanceled(try container.decode(Invitee.self, forKey: .payload))
            case CalendlyEvent.noShowCreatedName:
                event = .noShowCreated(try container.decode(NoShowPayload.self, forKey: .payload).noShow)
            case CalendlyEvent.noShowDeletedName:
                event = .noShowDeleted(try container.decode(NoShowPayload.self, forKey: .payload).noShow)
            default:
                let resource = try? container.decodeIfPresent(ResourceURI.self, forKey: .payload)
                event = .other(name: name, resourceURI: resource?.uri)
            }
            self.webhook = CalendlyWebhook(
                name: name, createdAt: createdAt, createdAtText: createdAtText, createdBy: createdBy, event: event)
        }
    }

    private struct ResourceURI: Decodable {
        var uri: String?
    }

    private struct NoShowPayload: Decodable {
        var noShow: NoShow

        enum CodingKeys: String, CodingKey {
            case uri, invitee
            case createdAt = "created_at"
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            if let inviteeURI = try? container.decode(String.self, forKey: .invitee) {
                // The no-show resource itself.
                self.noShow = NoShow(
                    inviteeURI: inviteeURI, noShowURI: try container.decodeIfPresent(String.self, forKey: .uri),
                    markedAt: try? container.decodeTimestampIfPresent(forKey: .createdAt), invitee: nil)
            } else {
                let invitee = try Invitee(from: decoder)
                self.noShow = NoShow(
                    inviteeURI: invitee.uri, noShowURI: invitee.noShow?.uri, markedAt: invitee.noShow?.createdAt,
                    invitee: invitee)
            }
        }
    }
}
