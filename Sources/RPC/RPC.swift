// The RPC module; see Package.swift for its role.
