// VeectorDHT — the Kademlia core (issue 3).
