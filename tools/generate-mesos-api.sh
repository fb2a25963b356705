#!/usr/bin/env bash
# Regenerates src/Cairn.Api/Generated/*.g.cs from the .proto files under src/Cairn.Api/Protos
# (Mesos v1 API, copied verbatim from ../shared/spec/mesos, plus Cairn's agent_link.proto).
# protoc comes from the Grpc.Tools NuGet package (messages only; no gRPC runtime is used).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
ver=2.85.0
pkg="$HOME/.nuget/packages/grpc.tools/$ver"
if [ ! -x "$pkg/tools/linux_x64/protoc" ]; then
  tmp=$(mktemp -d)
  cat > "$tmp/restore.csproj" <<PROJ
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup><TargetFramework>net10.0</TargetFramework><ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally></PropertyGroup>
  <ItemGroup><PackageReference Include="Grpc.Tools" Version="$ver" /></ItemGroup>
</Project>
PROJ
  (cd "$tmp" && dotnet restore restore.csproj >/dev/null)
  rm -rf "$tmp"
  chmod +x "$pkg/tools/linux_x64/protoc"
fi
protoc="$pkg/tools/linux_x64/protoc"
src="$here/src/Cairn.Api/Protos"
out="$here/src/Cairn.Api/Generated"
rm -rf "$out" && mkdir -p "$out"
mapfile -t protos < <(cd "$src" && find . -name '*.proto' | sed 's|^\./||' | sort)
"$protoc" -I "$src" -I "$pkg/build/native/include" --csharp_out="$out" --csharp_opt=file_extension=.g.cs "${protos[@]}"
echo "generated $(ls "$out" | wc -l) files into ${out#$here/}"
