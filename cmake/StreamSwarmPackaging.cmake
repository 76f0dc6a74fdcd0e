# SPDX-License-Identifier: GPL-3.0-or-later
# SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#
# What the packages install beside the programs, and CPack's settings: "cpack -G DEB" in the build
# folder makes streamswarm-agent_<version>_<arch>.deb and streamswarm-console_..., "cpack -G TGZ"
# the same as .tar.gz. Programs go to /usr, settings to /etc/streamswarm, services to systemd's
# folder (and an init script for hosts without systemd).
set(installers ${PROJECT_SOURCE_DIR}/installers/linux)

# The agent
install(FILES ${installers}/streamswarm-agent.service DESTINATION lib/systemd/system COMPONENT agent)
install(FILES ${installers}/streamswarm-agent.sysusers DESTINATION lib/sysusers.d
        RENAME streamswarm-agent.conf COMPONENT agent)
install(FILES ${installers}/agent.conf DESTINATION /etc/streamswarm COMPONENT agent)
install(PROGRAMS ${installers}/streamswarm-agent.init DESTINATION /etc/init.d RENAME streamswarm-agent
        COMPONENT agent)

# The same as examples (a .tar.gz holds only what is under /usr: copy them to /etc by hand there).
install(FILES ${installers}/agent.conf ${installers}/streamswarm-agent.init
        DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/streamswarm-agent/examples COMPONENT agent)
install(FILES ${installers}/console.conf DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/streamswarm-console/examples
        COMPONENT console)

# The console: the collector's service and settings, and the desktop entry, icon and AppStream data
install(FILES ${installers}/streamswarm-console.service DESTINATION lib/systemd/system COMPONENT console)
install(FILES ${installers}/streamswarm-console.sysusers DESTINATION lib/sysusers.d
        RENAME streamswarm-console.conf COMPONENT console)
install(FILES ${installers}/console.conf DESTINATION /etc/streamswarm COMPONENT console)
install(FILES ${PROJECT_SOURCE_DIR}/resources/org.streamswarm.Console.desktop
        DESTINATION ${CMAKE_INSTALL_DATADIR}/applications COMPONENT console)
install(FILES ${PROJECT_SOURCE_DIR}/resources/icons/org.streamswarm.Console.svg
        DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps COMPONENT console)
configure_file(${PROJECT_SOURCE_DIR}/resources/org.streamswarm.Console.metainfo.xml.in
               ${PROJECT_BINARY_DIR}/org.streamswarm.Console.metainfo.xml @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/org.streamswarm.Console.metainfo.xml
        DESTINATION ${CMAKE_INSTALL_DATADIR}/metainfo COMPONENT console)

set(CPACK_PACKAGE_NAME streamswarm)
set(CPACK_PACKAGE_VENDOR "The StreamSwarm authors")
set(CPACK_PACKAGE_CONTACT "StreamSwarm developers <dev@streamswarm.example.net>")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
# Each package's description starts with its own summary line (below); CPackDeb would put the
# project's description before it.
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_COMPONENTS_ALL agent console)
set(CPACK_STRIP_FILES ON) # as Debian ships programs: without their debugging data
set(CPACK_GENERATOR DEB TGZ)

set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON) # Depends: from the libraries the programs are linked with
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "https://streamswarm.example.net")
set(CPACK_DEBIAN_AGENT_PACKAGE_NAME streamswarm-agent)
set(CPACK_DEBIAN_AGENT_PACKAGE_SECTION net)
# libcurl is opened when the first http test starts (so it is not seen by dpkg-shlibdeps).
set(CPACK_DEBIAN_AGENT_PACKAGE_DEPENDS "adduser, libcurl4 (>= 7.85)") # merged with dpkg-shlibdeps' list
set(CPACK_DEBIAN_AGENT_PACKAGE_RECOMMENDS "libcap2-bin")
set(CPACK_DEBIAN_AGENT_PACKAGE_CONTROL_EXTRA
    "${installers}/debian/agent/postinst;${installers}/debian/agent/prerm;${installers}/debian/agent/postrm;${installers}/debian/agent/conffiles")
set(CPACK_DEBIAN_AGENT_PACKAGE_CONTROL_STRICT_PERMISSION TRUE)
set(CPACK_DEBIAN_CONSOLE_PACKAGE_NAME streamswarm-console)
set(CPACK_DEBIAN_CONSOLE_PACKAGE_SECTION net)
# Qt opens its SQLite driver (and PostgreSQL's, for a shared database) and the SVG icon engine
# (libqt6svg6, for the window's icons) as plugins, unseen by dpkg-shlibdeps. Reports are drawn in
# DejaVu Sans, so that a PDF looks the same wherever it is made.
set(CPACK_DEBIAN_CONSOLE_PACKAGE_DEPENDS "adduser, libqt6sql6-sqlite, libqt6svg6, fonts-dejavu-core")
set(CPACK_DEBIAN_CONSOLE_PACKAGE_RECOMMENDS "libqt6sql6-psql")
set(CPACK_DEBIAN_CONSOLE_PACKAGE_SUGGESTS "postgresql")
set(CPACK_DEBIAN_CONSOLE_PACKAGE_CONTROL_EXTRA
    "${installers}/debian/console/postinst;${installers}/debian/console/prerm;${installers}/debian/console/postrm;${installers}/debian/console/conffiles")
set(CPACK_DEBIAN_CONSOLE_PACKAGE_CONTROL_STRICT_PERMISSION TRUE)

set(CPACK_ARCHIVE_COMPONENT_INSTALL ON)
set(CPACK_COMPONENT_AGENT_DISPLAY_NAME "StreamSwarm agent")
set(CPACK_DEBIAN_AGENT_DESCRIPTION
    "StreamSwarm agent: runs network tests for its console\n Runs as a system service on the hosts you care about and measures what its StreamSwarm console assigns: ping, traceroute, DNS, TCP, TLS, HTTP, bandwidth, QoS and voice tests, and the host's own system, Wi-Fi and hardware figures. Results are kept on disk while the console is away.")
set(CPACK_COMPONENT_CONSOLE_DISPLAY_NAME "StreamSwarm console")
set(CPACK_DEBIAN_CONSOLE_DESCRIPTION
    "StreamSwarm console: network monitoring desktop and collector\n Hands tests to StreamSwarm agents, keeps what they measure in SQLite or PostgreSQL and shows it live and over time. Runs as a desktop program or as a headless collector service, and can be scripted from the command line.")
include(CPack)
