// The CallBookingApp module; see Package.swift for its role.
