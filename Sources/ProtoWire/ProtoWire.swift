// The ProtoWire module; see Package.swift for its role.
