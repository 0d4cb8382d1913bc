/// Everyday abbreviations ("CET", "EDT") for the zones most customers and experts are in.
///
/// Not from the platform: Foundation on Linux answers "GMT+1" for Europe/Berlin, and ICU's
/// short names depend on the locale (en_GB says "CET" but "GMT-5" for New York, en_US the
/// reverse), so a reminder's text would change with the machine. A zone not listed here is
/// shown by its offset ("UTC+05:45"), which is never ambiguous; the payload also carries the
/// IANA name and an ISO 8601 time with the offset.
enum ZoneAbbreviations {
    /// (standard, daylight saving) by IANA identifier.
    static func names(for identifier: String) -> (standard: String, daylight: String)? {
        Self.byZone[identifier]
    }

    private static let central = ("CET", "CEST")
    private static let eastern = ("EET", "EEST")
    private static let western = ("WET", "WEST")

    private static let byZone: [String: (standard: String, daylight: String)] = {
        var table: [String: (standard: String, daylight: String)] = [:]
        func add(_ names: (String, String), _ zones: [String]) {
            for zone in zones { table[zone] = (names.0, names.1) }
        }
        add(central, [
            "Europe/Amsterdam", "Europe/Andorra", "Europe/Belgrade", "Europe/Berlin", "Europe/Bratislava", "Europe/Brussels",
            "Europe/Budapest", "Europe/Busingen", "Europe/Copenhagen", "Europe/Gibraltar", "Europe/Ljubljana", "Europe/Luxembourg",
            "Europe/Madrid", "Europe/Malta", "Europe/Monaco", "Europe/Oslo", "Europe/Paris", "Europe/Podgorica", "Europe/Prague",
            "Europe/Rome", "Europe/San_Marino", "Europe/Sarajevo", "Europe/Skopje", "Europe/Stockholm", "Europe/Tirane",
            "Europe/Vaduz", "Europe/Vatican", "Europe/Vienna", "Europe/Warsaw", "Europe/Zagreb", "Europe/Zurich", "Africa/Ceuta",
        ])
        add(eastern, [
            "Europe/Athens", "Europe/Bucharest", "Europe/Chisinau", "Europe/Helsinki", "Europe/Kiev", "Europe/Kyiv",
            "Europe/Mariehamn", "Europe/Riga", "Europe/Sofia", "Europe/Tallinn", "Europe/Vilnius", "Asia/Nicosia",
            "Europe/Nicosia", "Africa/Cairo",
        ])
        add(western, ["Europe/Lisbon", "Atlantic/Canary", "Atlantic/Madeira", "Atlantic/Faroe"])
        add(("GMT", "BST"), ["Europe/London", "Europe/Guernsey", "Europe/Isle_of_Man", "Europe/Jersey"])
        add(("EST", "EDT"), [
            "America/New_York", "America/Detroit", "America/Toronto", "America/Nassau", "America/Indiana/Indianapolis",
            "America/Kentucky/Louisville", "US/Eastern",
        ])
        add(("CST", "CDT"), ["America/Chicago", "America/Winnipeg", "America/Indiana/Knox", "America/Menominee", "US/Central"])
        add(("MST", "MDT"), ["America/Denver", "America/Edmonton", "America/Boise", "US/Mountain"])
        add(("MST", "MST"), ["America/Phoenix"])
        add(("PST", "PDT"), ["America/Los_Angeles", "America/Vancouver", "America/Tijuana", "US/Pacific"])
        add(("AKST", "AKDT"), ["America/Anchorage"])
        add(("HST", "HST"), ["Pacific/Honolulu"])
        add(("AST", "ADT"), ["America/Halifax"])
        add(("NST", "NDT"), ["America/St_Johns"])
        add(("JST", "JST"), ["Asia/Tokyo"])
        add(("KST", "KST"), ["Asia/Seoul"])
        add(("IST", "IST"), ["Asia/Kolkata", "Asia/Calcutta"])
        add(("HKT", "HKT"), ["Asia/Hong_Kong"])
        add(("PKT", "PKT"), ["Asia/Karachi"])
        add(("IST", "IDT"), ["Asia/Jerusalem"])
        add(("AEST", "AEDT"), ["Australia/Sydney", "Australia/Melbourne", "Australia/Hobart", "Australia/Canberra"])
        add(("AEST", "AEST"), ["Australia/Brisbane"])
        add(("ACST", "ACDT"), ["Australia/Adelaide"])
        add(("ACST", "ACST"), ["Australia/Darwin"])
        add(("AWST", "AWST"), ["Australia/Perth"])
        add(("NZST", "NZDT"), ["Pacific/Auckland"])
        add(("SAST", "SAST"), ["Africa/Johannesburg"])
        add(("WAT", "WAT"), ["Africa/Lagos"])
        add(("EAT", "EAT"), ["Africa/Nairobi"])
        add(("UTC", "UTC"), ["UTC", "Etc/UTC", "Etc/UCT", "Etc/Universal", "Etc/Zulu", "Universal", "Zulu"])
        add(("GMT", "GMT"), ["GMT", "Etc/GMT", "Etc/Greenwich", "Africa/Abidjan", "Atlantic/Reykjavik"])
        return table
    }()
}
