//! What each data source accepts and reports: its arguments, with their types, defaults and value
//! rules, and the attributes it reads. The tables follow the Terraform AWS provider (docs/kinds/).

use std::fmt;
use std::str::FromStr;

use super::{Attribute, Rule, Type, argument};

/// The data sources gateform reads. Declared in the order of their type names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DataKind {
    Api,
    Apis,
    Export,
    VpcLink,
    CallerIdentity,
    Partition,
    Region,
    RemoteState,
}

pub struct DataSchema {
    /// The data source type, such as `aws_region`.
    pub name: &'static str,
    /// Its arguments.
    pub arguments: &'static [Attribute],
    /// The attributes it reads, besides its arguments.
    pub reads: &'static [&'static str],
    /// Whether it takes `region`, where it is read (AWS provider v6); without it, it is read in
    /// its provider configuration's region.
    pub regional: bool,
}

impl DataKind {
    pub const ALL: [DataKind; 8] = [
        DataKind::Api,
        DataKind::Apis,
        DataKind::Export,
        DataKind::VpcLink,
        DataKind::CallerIdentity,
        DataKind::Partition,
        DataKind::Region,
        DataKind::RemoteState,
    ];

    pub fn schema(self) -> &'static DataSchema {
        match self {
            DataKind::Api => &API,
            DataKind::Apis => &APIS,
            DataKind::Export => &EXPORT,
            DataKind::VpcLink => &VPC_LINK,
            DataKind::CallerIdentity => &CALLER_IDENTITY,
            DataKind::Partition => &PARTITION,
            DataKind::Region => &REGION,
            DataKind::RemoteState => &REMOTE_STATE,
        }
    }

    pub fn as_str(self) -> &'static str {
        self.schema().name
    }
}

impl DataSchema {
    /// The arguments a data block may set, `region` among them where it takes one.
    pub fn arguments(&self) -> impl Iterator<Item = &'static Attribute> + '_ {
        let region = self.regional.then_some(&super::REGION);
        self.arguments.iter().chain(region)
    }
}

#[derive(Debug, thiserror::Error)]
#[error("unsupported data source `{0}`")]
pub struct UnknownDataKind(pub String);

impl FromStr for DataKind {
    type Err = UnknownDataKind;

    fn from_str(name: &str) -> Result<DataKind, UnknownDataKind> {
        DataKind::ALL
            .into_iter()
            .find(|kind| kind.as_str() == name)
            .ok_or_else(|| UnknownDataKind(name.to_owned()))
    }
}

impl fmt::Display for DataKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// `aws_apigatewayv2_api`: one api, by id.
static API: DataSchema = DataSchema {
    name: "aws_apigatewayv2_api",
    regional: true,
    arguments: &[argument("api_id", Type::String).required()],
    reads: &[
        "api_endpoint",
        "api_key_selection_expression",
        "arn",
        "cors_configuration",
        "description",
        "disable_execute_api_endpoint",
        "execution_arn",
        "id",
        "ip_address_type",
        "name",
        "protocol_type",
        "route_selection_expression",
        "tags",
        "version",
    ],
};

/// `aws_apigatewayv2_apis`: the ids of the apis with a name, protocol and tags.
static APIS: DataSchema = DataSchema {
    name: "aws_apigatewayv2_apis",
    regional: true,
    arguments: &[
        argument("name", Type::String),
        Attribute {
            rule: Rule::OneOf(&["HTTP", "WEBSOCKET"]),
            ..argument("protocol_type", Type::String)
        },
        argument("tags", Type::StringMap),
    ],
    reads: &["id", "ids"],
};

/// `aws_apigatewayv2_export`: an api's OpenAPI definition (ExportApi).
static EXPORT: DataSchema = DataSchema {
    name: "aws_apigatewayv2_export",
    regional: true,
    arguments: &[
        argument("api_id", Type::String).required(),
        Attribute {
            rule: Rule::OneOf(&["1.0"]),
            ..argument("export_version", Type::String)
        },
        Attribute {
            default: Some(super::Default::Bool(true)),
            ..argument("include_extensions", Type::Bool)
        },
        Attribute {
            rule: Rule::OneOf(&["JSON", "YAML"]),
            ..argument("output_type", Type::String).required()
        },
        Attribute {
            rule: Rule::OneOf(&["OAS30"]),
            ..argument("specification", Type::String).required()
        },
        argument("stage_name", Type::String),
    ],
    reads: &["body", "id"],
};

/// `aws_apigatewayv2_vpc_link`: one VPC link, by id.
static VPC_LINK: DataSchema = DataSchema {
    name: "aws_apigatewayv2_vpc_link",
    regional: true,
    arguments: &[argument("vpc_link_id", Type::String).required()],
    reads: &[
        "arn",
        "id",
        "name",
        "security_group_ids",
        "subnet_ids",
        "tags",
    ],
};

/// `aws_caller_identity`: who gateform acts as (sts:GetCallerIdentity).
static CALLER_IDENTITY: DataSchema = DataSchema {
    name: "aws_caller_identity",
    regional: false,
    arguments: &[],
    reads: &["account_id", "arn", "id", "user_id"],
};

/// `aws_partition`: the partition of the provider configuration's region. No AWS call.
static PARTITION: DataSchema = DataSchema {
    name: "aws_partition",
    regional: false,
    arguments: &[],
    reads: &["dns_suffix", "id", "partition", "reverse_dns_prefix"],
};

/// `aws_region`: a region, by name or EC2 endpoint; the provider configuration's by default. No
/// AWS call. Its `region` selects the region, as well as where it is read.
static REGION: DataSchema = DataSchema {
    name: "aws_region",
    regional: true,
    arguments: &[
        argument("endpoint", Type::String),
        // Deprecated in the provider for `region`, which it conflicts with.
        argument("name", Type::String),
    ],
    reads: &["description", "id"],
};

/// `terraform_remote_state`: the root module outputs of a Terraform state, read from where its
/// backend keeps it (`local` or `s3`), so that what Terraform manages reaches gateform.
static REMOTE_STATE: DataSchema = DataSchema {
    name: "terraform_remote_state",
    regional: false,
    arguments: &[
        Attribute {
            rule: Rule::OneOf(&["local", "s3"]),
            ..argument("backend", Type::String).required()
        },
        argument("config", Type::Object),
        argument("defaults", Type::Object),
        Attribute {
            default: Some(super::Default::String("default")),
            ..argument("workspace", Type::String)
        },
    ],
    reads: &["outputs"],
};
