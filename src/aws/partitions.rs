//! AWS's partitions and their regions: the partition of a region (for ARNs and `aws_partition`),
//! its DNS suffix (for endpoints and URLs), and each region's description (`aws_region`). The
//! facts are AWS's own partition table, as the SDKs and the Terraform provider carry it.

/// One AWS partition.
pub struct Partition {
    /// Its id, as ARNs write it: `aws`, `aws-cn`, `aws-us-gov`...
    pub id: &'static str,
    pub dns_suffix: &'static str,
    /// How its region names begin; the standard partition has every other name.
    prefix: &'static str,
    /// Its regions and their descriptions.
    pub regions: &'static [(&'static str, &'static str)],
}

/// The standard partition comes last: it takes every region no other partition claims.
static PARTITIONS: [Partition; 8] = [
    Partition {
        id: "aws-cn",
        dns_suffix: "amazonaws.com.cn",
        prefix: "cn-",
        regions: &[
            ("cn-north-1", "China (Beijing)"),
            ("cn-northwest-1", "China (Ningxia)"),
        ],
    },
    Partition {
        id: "aws-eusc",
        dns_suffix: "amazonaws.eu",
        prefix: "eusc-",
        regions: &[("eusc-de-east-1", "EU (Germany)")],
    },
    Partition {
        id: "aws-iso",
        dns_suffix: "c2s.ic.gov",
        prefix: "us-iso-",
        regions: &[
            ("us-iso-east-1", "US ISO East"),
            ("us-iso-west-1", "US ISO WEST"),
        ],
    },
    Partition {
        id: "aws-iso-b",
        dns_suffix: "sc2s.sgov.gov",
        prefix: "us-isob-",
        regions: &[
            ("us-isob-east-1", "US ISOB East (Ohio)"),
            ("us-isob-west-1", "US ISOB West"),
        ],
    },
    Partition {
        id: "aws-iso-e",
        dns_suffix: "cloud.adc-e.uk",
        prefix: "eu-isoe-",
        regions: &[("eu-isoe-west-1", "EU ISOE West")],
    },
    Partition {
        id: "aws-iso-f",
        dns_suffix: "csp.hci.ic.gov",
        prefix: "us-isof-",
        regions: &[
            ("us-isof-east-1", "US ISOF EAST"),
            ("us-isof-south-1", "US ISOF SOUTH"),
        ],
    },
    Partition {
        id: "aws-us-gov",
        dns_suffix: "amazonaws.com",
        prefix: "us-gov-",
        regions: &[
            ("us-gov-east-1", "AWS GovCloud (US-East)"),
            ("us-gov-west-1", "AWS GovCloud (US-West)"),
        ],
    },
    Partition {
        id: "aws",
        dns_suffix: "amazonaws.com",
        prefix: "",
        regions: &[
            ("af-south-1", "Africa (Cape Town)"),
            ("ap-east-1", "Asia Pacific (Hong Kong)"),
            ("ap-east-2", "Asia Pacific (Taipei)"),
            ("ap-northeast-1", "Asia Pacific (Tokyo)"),
            ("ap-northeast-2", "Asia Pacific (Seoul)"),
            ("ap-northeast-3", "Asia Pacific (Osaka)"),
            ("ap-south-1", "Asia Pacific (Mumbai)"),
            ("ap-south-2", "Asia Pacific (Hyderabad)"),
            ("ap-southeast-1", "Asia Pacific (Singapore)"),
            ("ap-southeast-2", "Asia Pacific (Sydney)"),
            ("ap-southeast-3", "Asia Pacific (Jakarta)"),
            ("ap-southeast-4", "Asia Pacific (Melbourne)"),
            ("ap-southeast-5", "Asia Pacific (Malaysia)"),
            ("ap-southeast-6", "Asia Pacific (New Zealand)"),
            ("ap-southeast-7", "Asia Pacific (Thailand)"),
            ("ca-central-1", "Canada (Central)"),
            ("ca-west-1", "Canada West (Calgary)"),
            ("eu-central-1", "Europe (Frankfurt)"),
            ("eu-central-2", "Europe (Zurich)"),
            ("eu-north-1", "Europe (Stockholm)"),
            ("eu-south-1", "Europe (Milan)"),
            ("eu-south-2", "Europe (Spain)"),
            ("eu-west-1", "Europe (Ireland)"),
            ("eu-west-2", "Europe (London)"),
            ("eu-west-3", "Europe (Paris)"),
            ("il-central-1", "Israel (Tel Aviv)"),
            ("me-central-1", "Middle East (UAE)"),
            ("me-south-1", "Middle East (Bahrain)"),
            ("mx-central-1", "Mexico (Central)"),
            ("sa-east-1", "South America (Sao Paulo)"),
            ("us-east-1", "US East (N. Virginia)"),
            ("us-east-2", "US East (Ohio)"),
            ("us-west-1", "US West (N. California)"),
            ("us-west-2", "US West (Oregon)"),
        ],
    },
];

/// The partition `region` is in.
pub fn of(region: &str) -> &'static Partition {
    PARTITIONS
        .iter()
        .find(|partition| region.starts_with(partition.prefix))
        .unwrap_or(&PARTITIONS[PARTITIONS.len() - 1])
}

/// Every region of every partition, with its description.
pub fn regions() -> impl Iterator<Item = (&'static str, &'static str)> {
    PARTITIONS
        .iter()
        .flat_map(|partition| partition.regions.iter().copied())
}

impl Partition {
    /// The region's description, such as `Europe (Ireland)`; empty for a region newer than this
    /// table.
    pub fn description(&self, region: &str) -> &'static str {
        self.regions
            .iter()
            .find(|(name, _)| *name == region)
            .map_or("", |(_, description)| *description)
    }

    /// The DNS suffix with its labels reversed, such as `com.amazonaws`.
    pub fn reverse_dns_prefix(&self) -> String {
        self.dns_suffix.rsplit('.').collect::<Vec<_>>().join(".")
    }
}

/// The EC2 endpoint of a region, as `aws_region` reports it.
pub fn ec2_endpoint(region: &str) -> String {
    format!("ec2.{region}.{}", of(region).dns_suffix)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_find_their_partition() {
        assert_eq!(of("eu-west-1").id, "aws");
        assert_eq!(of("cn-north-1").id, "aws-cn");
        assert_eq!(of("us-gov-west-1").id, "aws-us-gov");
        assert_eq!(of("us-isob-east-1").id, "aws-iso-b");
        assert_eq!(of("us-iso-east-1").id, "aws-iso");
        assert_eq!(of("cn-north-1").reverse_dns_prefix(), "cn.com.amazonaws");
        assert_eq!(
            ec2_endpoint("cn-north-1"),
            "ec2.cn-north-1.amazonaws.com.cn"
        );
        assert_eq!(of("eu-west-1").description("eu-west-1"), "Europe (Ireland)");
    }
}
