#!/usr/bin/env bash
# Installs the two artifacts that Apicurio Registry 3.0.9 needs and Maven Central does not serve, into the
# registry build's own local repository (never ~/.m2):
#   io.apicurio:apicurio-registry:3.0.9:pom  - the served 3.0.7 parent with the four version changes that
#       the real 3.0.9 parent made (its release profile aside, nothing else differs);
#   io.apicurio:apicurio-registry-config-index-deployment:3.0.9 - the 3.0.6 jar (code unchanged since)
#       under a 3.0.9 POM: Quarkus takes a deployment module's version from its runtime jar, so managing
#       the version in our pom is not enough.
# Usage: stand-ins.sh SETTINGS_XML LOCAL_REPO
set -euo pipefail
settings=$1 repo=$2
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

mvn_() { "$here/../../mvnw" -B -q -s "$settings" -Dmaven.repo.local="$repo" "$@"; }
fetch() { mvn_ org.apache.maven.plugins:maven-dependency-plugin:3.8.1:get -Dtransitive=false -Dartifact="$1"; }
install_file() {
    mvn_ org.apache.maven.plugins:maven-install-plugin:3.1.2:install-file "$@"
}

group_dir=$repo/io/apicurio
if [[ ! -f $group_dir/apicurio-registry/3.0.9/apicurio-registry-3.0.9.pom ]]; then
    fetch io.apicurio:apicurio-registry:3.0.7:pom
    sed -e '0,/<version>3\.0\.7<\/version>/s//<version>3.0.9<\/version>/' \
        -e 's:<protobuf.version>3\.25\.5<:<protobuf.version>3.25.8<:' \
        -e 's:<commons-beanutils.version>1\.10\.0<:<commons-beanutils.version>1.11.0<:' \
        -e 's:<jgit.version>7\.1\.0\.202411261347-r<:<jgit.version>7.1.1.202505221757-r<:' \
        -e 's:<connect.version>3\.9\.0<:<connect.version>3.9.1<:' \
        "$group_dir/apicurio-registry/3.0.7/apicurio-registry-3.0.7.pom" >"$work/parent.pom"
    for expected in '<version>3.0.9</version>' '<protobuf.version>3.25.8<' '<commons-beanutils.version>1.11.0<' \
        '<jgit.version>7.1.1.202505221757-r<' '<connect.version>3.9.1<'; do
        grep -qF "$expected" "$work/parent.pom" || { echo "stand-ins: parent edit missing: $expected" >&2; exit 1; }
    done
    install_file -Dfile="$work/parent.pom" -DpomFile="$work/parent.pom" -Dpackaging=pom
fi

deployment=apicurio-registry-config-index-deployment
if [[ ! -f $group_dir/$deployment/3.0.9/$deployment-3.0.9.jar ]]; then
    fetch "io.apicurio:$deployment:3.0.6"
    sed 's:<version>3\.0\.6</version>:<version>3.0.9</version>:' \
        "$group_dir/$deployment/3.0.6/$deployment-3.0.6.pom" >"$work/deployment.pom"
    install_file -Dfile="$group_dir/$deployment/3.0.6/$deployment-3.0.6.jar" -DpomFile="$work/deployment.pom"
fi
