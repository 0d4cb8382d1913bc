// The BookingAPI module; see Package.swift for its role.
