#!/usr/bin/env bash
# Collect an AWS network snapshot that `lztwin` reads offline (validate, show, trace, …).
#
# Usage: scripts/collect-aws-snapshot.sh -o DIR -r REGION[,REGION…] [-a ACCOUNT[,ACCOUNT…] -n ROLE]
#   -o DIR      output directory (created); files land in DIR/aws_configs/accounts/<account>/<region>/
#   -r REGIONS  comma-separated regions
#   -a ACCOUNTS comma-separated account ids to assume ROLE in (default: the current credentials' account)
#   -n ROLE     role name to assume in each account (e.g. OrganizationAccountAccessRole, a read-only role)
#
# Needs the AWS CLI v2 and jq. Read-only calls only (describe-*, get-*, search-*).
# Each file is one CLI response, named after its top-level key; the importer decides what
# a file is by its keys, never its name.
set -euo pipefail

out=""; regions=""; accounts=""; role=""
while getopts "o:r:a:n:h" opt; do
  case "$opt" in
    o) out="$OPTARG" ;;
    r) regions="$OPTARG" ;;
    a) accounts="$OPTARG" ;;
    n) role="$OPTARG" ;;
    *) sed -n '2,12p' "$0"; exit 2 ;;
  esac
done
if [[ -z "$out" || -z "$regions" ]]; then sed -n '2,12p' "$0"; exit 2; fi
if [[ -n "$accounts" && -z "$role" ]]; then echo "-a needs -n ROLE" >&2; exit 2; fi
command -v aws >/dev/null || { echo "aws CLI not found" >&2; exit 2; }
command -v jq >/dev/null || { echo "jq not found" >&2; exit 2; }

# Run one call; keep going (with a message) when a service is not enabled or denied.
call() { # file cmd...
  local file="$1"; shift
  if ! "$@" --output json > "$file.tmp" 2> "$file.err"; then
    echo "  skipped $(basename "$file"): $(head -c 200 "$file.err")" >&2
    rm -f "$file.tmp"
  else
    mv "$file.tmp" "$file"
  fi
  rm -f "$file.err"
}

collect_region() { # dir region
  local d="$1" r="$2"
  mkdir -p "$d"
  echo "collecting $d" >&2
  local ec2=(aws ec2 --region "$r")
  call "$d/AvailabilityZones.json" "${ec2[@]}" describe-availability-zones
  call "$d/Vpcs.json" "${ec2[@]}" describe-vpcs
  call "$d/Subnets.json" "${ec2[@]}" describe-subnets
  call "$d/RouteTables.json" "${ec2[@]}" describe-route-tables
  call "$d/InternetGateways.json" "${ec2[@]}" describe-internet-gateways
  call "$d/EgressOnlyInternetGateways.json" "${ec2[@]}" describe-egress-only-internet-gateways
  call "$d/NatGateways.json" "${ec2[@]}" describe-nat-gateways
  call "$d/NetworkInterfaces.json" "${ec2[@]}" describe-network-interfaces
  call "$d/Reservations.json" "${ec2[@]}" describe-instances
  call "$d/Addresses.json" "${ec2[@]}" describe-addresses
  call "$d/SecurityGroups.json" "${ec2[@]}" describe-security-groups
  call "$d/NetworkAcls.json" "${ec2[@]}" describe-network-acls
  call "$d/ManagedPrefixLists.json" "${ec2[@]}" describe-managed-prefix-lists
  call "$d/VpcEndpoints.json" "${ec2[@]}" describe-vpc-endpoints
  call "$d/ServiceConfigurations.json" "${ec2[@]}" describe-vpc-endpoint-service-configurations
  call "$d/VpcPeeringConnections.json" "${ec2[@]}" describe-vpc-peering-connections
  call "$d/VpnGateways.json" "${ec2[@]}" describe-vpn-gateways
  call "$d/VpnConnections.json" "${ec2[@]}" describe-vpn-connections
  call "$d/CustomerGateways.json" "${ec2[@]}" describe-customer-gateways
  call "$d/TransitGateways.json" "${ec2[@]}" describe-transit-gateways
  call "$d/TransitGatewayAttachments.json" "${ec2[@]}" describe-transit-gateway-attachments
  call "$d/TransitGatewayVpcAttachments.json" "${ec2[@]}" describe-transit-gateway-vpc-attachments
  call "$d/TransitGatewayPeeringAttachments.json" "${ec2[@]}" describe-transit-gateway-peering-attachments
  call "$d/TransitGatewayConnects.json" "${ec2[@]}" describe-transit-gateway-connects
  call "$d/TransitGatewayRouteTables.json" "${ec2[@]}" describe-transit-gateway-route-tables

  # Prefix-list entries, as {"PrefixListId", "Entries"} objects.
  if [[ -f "$d/ManagedPrefixLists.json" ]]; then
    for pl in $(jq -r '.PrefixLists[].PrefixListId' "$d/ManagedPrefixLists.json"); do
      call "$d/PrefixListEntries-$pl.json.raw" "${ec2[@]}" get-managed-prefix-list-entries --prefix-list-id "$pl"
      if [[ -f "$d/PrefixListEntries-$pl.json.raw" ]]; then
        jq --arg id "$pl" '{PrefixListId: $id, Entries: .Entries}' "$d/PrefixListEntries-$pl.json.raw" > "$d/PrefixListEntries-$pl.json"
        rm -f "$d/PrefixListEntries-$pl.json.raw"
      fi
    done
  fi
  # Per TGW route table: propagations and every route (static, propagated, blackhole),
  # wrapped with the table id as the importer expects.
  if [[ -f "$d/TransitGatewayRouteTables.json" ]]; then
    for rt in $(jq -r '.TransitGatewayRouteTables[] | select(.State=="available") | .TransitGatewayRouteTableId' "$d/TransitGatewayRouteTables.json"); do
      call "$d/tgw-props-$rt.raw" "${ec2[@]}" get-transit-gateway-route-table-propagations --transit-gateway-route-table-id "$rt"
      if [[ -f "$d/tgw-props-$rt.raw" ]]; then
        jq --arg id "$rt" '{TransitGatewayRouteTableId: $id, TransitGatewayRouteTablePropagations: .TransitGatewayRouteTablePropagations}' "$d/tgw-props-$rt.raw" > "$d/TransitGatewayPropagations-$rt.json"
        rm -f "$d/tgw-props-$rt.raw"
      fi
      for type in static propagated; do
        call "$d/tgw-routes-$rt-$type.raw" "${ec2[@]}" search-transit-gateway-routes --transit-gateway-route-table-id "$rt" \
          --filters "Name=type,Values=$type" --max-results 1000
        if [[ -f "$d/tgw-routes-$rt-$type.raw" ]]; then
          jq --arg id "$rt" '{TransitGatewayRouteTableId: $id, Routes: .Routes, AdditionalRoutesAvailable: .AdditionalRoutesAvailable}' \
            "$d/tgw-routes-$rt-$type.raw" > "$d/TransitGatewayRoutes-$rt-$type.json"
          rm -f "$d/tgw-routes-$rt-$type.raw"
        fi
      done
      call "$d/TransitGatewayPrefixListReferences-$rt.json" "${ec2[@]}" get-transit-gateway-prefix-list-references --transit-gateway-route-table-id "$rt"
    done
  fi

  # Direct Connect (camelCase keys).
  call "$d/DirectConnectGateways.json" aws directconnect --region "$r" describe-direct-connect-gateways
  call "$d/DirectConnectGatewayAssociations.json" aws directconnect --region "$r" describe-direct-connect-gateway-associations
  call "$d/VirtualInterfaces.json" aws directconnect --region "$r" describe-virtual-interfaces

  # AWS Network Firewall: one describe-* response per object, collected as a JSON array.
  local nfw=(aws network-firewall --region "$r")
  if "${nfw[@]}" list-firewalls --output json > "$d/.fw-list" 2>/dev/null; then
    jq -r '.Firewalls[].FirewallArn' "$d/.fw-list" | while read -r arn; do
      "${nfw[@]}" describe-firewall --firewall-arn "$arn" --output json
    done | jq -s '.' > "$d/Firewalls.json"
    "${nfw[@]}" list-firewall-policies --output json | jq -r '.FirewallPolicies[].Arn' | while read -r arn; do
      "${nfw[@]}" describe-firewall-policy --firewall-policy-arn "$arn" --output json
    done | jq -s '.' > "$d/FirewallPolicies.json"
    "${nfw[@]}" list-rule-groups --output json | jq -r '.RuleGroups[].Arn' | while read -r arn; do
      "${nfw[@]}" describe-rule-group --rule-group-arn "$arn" --output json
    done | jq -s '.' > "$d/RuleGroups.json"
  else
    echo "  skipped Network Firewall (not available)" >&2
  fi
  rm -f "$d/.fw-list"

  # Gateway and Network Load Balancers: load balancers, target groups, target health;
  # for Network Load Balancers also their listeners and attributes (cross-zone load
  # balancing) and their target groups' attributes (client IP preservation).
  local elb=(aws elbv2 --region "$r")
  call "$d/LoadBalancers.json" "${elb[@]}" describe-load-balancers
  call "$d/TargetGroups.json" "${elb[@]}" describe-target-groups
  if [[ -f "$d/TargetGroups.json" ]]; then
    for tg in $(jq -r '.TargetGroups[] | select(.Protocol=="GENEVE" or .Protocol=="TCP" or .Protocol=="UDP" or .Protocol=="TCP_UDP" or .Protocol=="TLS") | .TargetGroupArn' "$d/TargetGroups.json"); do
      n=$(echo "$tg" | sha1sum | cut -c1-12)
      call "$d/th-$n.raw" "${elb[@]}" describe-target-health --target-group-arn "$tg"
      if [[ -f "$d/th-$n.raw" ]]; then
        jq --arg id "$tg" '{TargetGroupArn: $id, TargetHealthDescriptions: .TargetHealthDescriptions}' "$d/th-$n.raw" > "$d/TargetHealth-$n.json"
        rm -f "$d/th-$n.raw"
      fi
      call "$d/tga-$n.raw" "${elb[@]}" describe-target-group-attributes --target-group-arn "$tg"
      if [[ -f "$d/tga-$n.raw" ]]; then
        jq --arg id "$tg" '{TargetGroupAttributes: [{TargetGroupArn: $id, Attributes: .Attributes}]}' "$d/tga-$n.raw" > "$d/TargetGroupAttributes-$n.json"
        rm -f "$d/tga-$n.raw"
      fi
    done
  fi
  if [[ -f "$d/LoadBalancers.json" ]]; then
    for lb in $(jq -r '.LoadBalancers[] | select(.Type=="network") | .LoadBalancerArn' "$d/LoadBalancers.json"); do
      n=$(echo "$lb" | sha1sum | cut -c1-12)
      call "$d/Listeners-$n.json" "${elb[@]}" describe-listeners --load-balancer-arn "$lb"
      call "$d/lba-$n.raw" "${elb[@]}" describe-load-balancer-attributes --load-balancer-arn "$lb"
      if [[ -f "$d/lba-$n.raw" ]]; then
        jq --arg id "$lb" '{LoadBalancerAttributes: [{LoadBalancerArn: $id, Attributes: .Attributes}]}' "$d/lba-$n.raw" > "$d/LoadBalancerAttributes-$n.json"
        rm -f "$d/lba-$n.raw"
      fi
    done
  fi
}

# The account's entry: its id, its name (AWS Organizations, when allowed), its tags.
account_entry() { # dir account-id
  local name
  name=$(aws organizations describe-account --account-id "$2" --query Account.Name --output text 2>/dev/null || echo "$2")
  jq -n --arg id "$2" --arg name "$name" '{Accounts: [{Id: $id, Name: $name}]}' > "$1/Accounts.json"
}

IFS=',' read -ra REGIONS <<< "$regions"
if [[ -z "$accounts" ]]; then
  acct=$(aws sts get-caller-identity --query Account --output text)
  for r in "${REGIONS[@]}"; do
    d="$out/aws_configs/accounts/$acct/$r"
    collect_region "$d" "$r"
    account_entry "$d" "$acct"
  done
else
  IFS=',' read -ra ACCTS <<< "$accounts"
  for acct in "${ACCTS[@]}"; do
    creds=$(aws sts assume-role --role-arn "arn:aws:iam::$acct:role/$role" \
      --role-session-name lztwin-collect --output json)
    (
      export AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN
      AWS_ACCESS_KEY_ID=$(jq -r .Credentials.AccessKeyId <<< "$creds")
      AWS_SECRET_ACCESS_KEY=$(jq -r .Credentials.SecretAccessKey <<< "$creds")
      AWS_SESSION_TOKEN=$(jq -r .Credentials.SessionToken <<< "$creds")
      for r in "${REGIONS[@]}"; do
        d="$out/aws_configs/accounts/$acct/$r"
        collect_region "$d" "$r"
        account_entry "$d" "$acct"
      done
    )
  done
fi
echo "done: lztwin validate $out" >&2
