// What this machine is called on the venue network: its name and its
// addresses, for the certificate's subjectAltNames and the URLs printed for
// stations. The only place that asks the operating system. Thread-safe.
#pragma once

#include <string>
#include <vector>

namespace checkin::hub {

// The addresses of the interfaces that are up, IPv4 then IPv6, in textual
// form ("192.168.1.20", "2001:db8::5"), without loopback and without IPv6
// link-local (fe80::/10), which needs an interface name no URL can carry.
// Empty when there are none or the system cannot say.
std::vector<std::string> LocalAddresses();

// This machine's host name, or empty when it has none.
std::string HostName();

}  // namespace checkin::hub
