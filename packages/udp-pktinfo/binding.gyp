{
  "targets": [
    {
      "target_name": "udp_pktinfo",
      "sources": ["native/udp_pktinfo.c"],
      "cflags": ["-O2", "-Wall", "-Wextra", "-Wno-unused-parameter"],
      "conditions": [["OS!='linux'", {"type": "none", "sources!": ["native/udp_pktinfo.c"]}]]
    }
  ]
}
