//! Data sources in AWS: each read with the fewest calls, and returned as its arguments with the
//! attributes it reads. The api data sources share one GetApis per region; `aws_region` and
//! `aws_partition` need no call at all.

use std::collections::{BTreeMap, BTreeSet};

use super::{Parents, RemoteError, Remotes, partitions, send, text};
use crate::schema::{DataKind, Kind};
use crate::value::{Object, Value};

/// Reads data sources, remembering each region's apis.
pub struct Reader<'a> {
    /// `None` when no data source needs AWS (see [`DataKind::reads_aws`]).
    remotes: Option<&'a Remotes>,
    apis: BTreeMap<String, Vec<Object>>,
}

#[derive(Debug, thiserror::Error)]
pub enum DataError {
    #[error(transparent)]
    Remote(#[from] RemoteError),
    #[error("found no {noun} with id `{id}` in {region}")]
    NotFound {
        noun: &'static str,
        id: String,
        region: String,
    },
    #[error("found no region {0}")]
    NoRegion(String),
    /// `terraform_remote_state`: its backend could not be read.
    #[error("{0}")]
    RemoteState(String),
}

impl DataKind {
    /// Whether reading it calls AWS; `aws_region` and `aws_partition` are known without.
    pub fn reads_aws(self) -> bool {
        !matches!(
            self,
            DataKind::Partition | DataKind::Region | DataKind::RemoteState
        )
    }
}

impl<'a> Reader<'a> {
    pub fn new(remotes: Option<&'a Remotes>) -> Reader<'a> {
        Reader {
            remotes,
            apis: BTreeMap::new(),
        }
    }

    /// Reads one data source in `region` (where its `region` or its provider configuration
    /// says), from its converted `arguments`.
    pub async fn read(
        &mut self,
        kind: DataKind,
        arguments: &Object,
        region: Option<&str>,
    ) -> Result<Object, DataError> {
        let argument = |name: &str| {
            arguments
                .get(name)
                .and_then(Value::as_str)
                .map(str::to_owned)
        };
        let mut read = arguments.clone();
        match kind {
            // Read from its backend by `refresh::read_data`, not through the provider.
            DataKind::RemoteState => {
                return Err(DataError::RemoteState(
                    "`terraform_remote_state` is read from its backend".to_owned(),
                ));
            }
            DataKind::Partition => {
                let partition = partitions::of(region.ok_or(RemoteError::NoRegion)?);
                put(&mut read, "dns_suffix", partition.dns_suffix);
                put(&mut read, "id", partition.id);
                put(&mut read, "partition", partition.id);
                put(
                    &mut read,
                    "reverse_dns_prefix",
                    &partition.reverse_dns_prefix(),
                );
            }
            DataKind::Region => {
                let name = select_region(argument("name"), argument("endpoint"), region)?;
                put(
                    &mut read,
                    "description",
                    partitions::of(&name).description(&name),
                );
                put(&mut read, "endpoint", &partitions::ec2_endpoint(&name));
                put(&mut read, "id", &name);
                put(&mut read, "name", &name);
                put(&mut read, "region", &name);
            }
            DataKind::CallerIdentity => {
                let identity = self.connect(region)?.identity().await?.clone();
                put(&mut read, "account_id", &identity.account);
                put(&mut read, "arn", &identity.arn);
                put(&mut read, "id", &identity.account);
                put(&mut read, "user_id", &identity.user_id);
            }
            DataKind::Api => {
                let id = argument("api_id").unwrap_or_default();
                let apis = self.apis(region).await?;
                let Some(api) = apis.iter().find(|api| api.get("id") == Some(&text(&id))) else {
                    return Err(DataError::NotFound {
                        noun: "api",
                        id,
                        region: region.unwrap_or_default().to_owned(),
                    });
                };
                let mut api = api.clone();
                self.connect(region)?.derive(Kind::Api, &mut api).await?;
                // The data source's `tags` are every tag the api has.
                let tags = api.remove("tags_all").unwrap_or(Value::Null);
                api.insert("tags".to_owned(), tags);
                read.extend(api);
            }
            DataKind::Apis => {
                let matches = |api: &&Object| {
                    let same = |name: &str| {
                        argument(name).is_none_or(|wanted| api.get(name) == Some(&text(&wanted)))
                    };
                    let tagged = match arguments.get("tags") {
                        Some(Value::Map(wanted)) => wanted.iter().all(|(key, value)| {
                            matches!(api.get("tags_all"), Some(Value::Map(tags)) if tags.get(key) == Some(value))
                        }),
                        _ => true,
                    };
                    same("name") && same("protocol_type") && tagged
                };
                let mut ids: Vec<Value> = self
                    .apis(region)
                    .await?
                    .iter()
                    .filter(matches)
                    .filter_map(|api| api.get("id").cloned())
                    .collect();
                ids.sort_by_key(|id| id.as_str().map(str::to_owned));
                read.insert("ids".to_owned(), Value::List(ids));
                put(&mut read, "id", region.unwrap_or_default());
            }
            DataKind::VpcLink => {
                let id = argument("vpc_link_id").unwrap_or_default();
                let aws = self.connect(region)?;
                let Some(mut link) = aws.get(Kind::VpcLink, &Parents::default(), &id).await? else {
                    return Err(DataError::NotFound {
                        noun: "VPC link",
                        id,
                        region: aws.region().to_owned(),
                    });
                };
                aws.derive(Kind::VpcLink, &mut link).await?;
                let tags = link.remove("tags_all").unwrap_or(Value::Null);
                link.insert("tags".to_owned(), tags);
                read.extend(link);
            }
            DataKind::Export => {
                let aws = self.connect(region)?;
                let request = aws
                    .client
                    .export_api()
                    .set_api_id(argument("api_id"))
                    .set_specification(argument("specification"))
                    .set_output_type(argument("output_type"))
                    .set_export_version(argument("export_version"))
                    .include_extensions(
                        arguments.get("include_extensions") != Some(&Value::Bool(false)),
                    )
                    .set_stage_name(argument("stage_name"));
                let export = send("ExportApi", request.send())
                    .await
                    .map_err(super::Failure::reading)?;
                let body = export
                    .body()
                    .map(|body| String::from_utf8_lossy(body.as_ref()).into_owned())
                    .unwrap_or_default();
                put(&mut read, "body", &body);
                put(&mut read, "id", &argument("api_id").unwrap_or_default());
            }
        }
        if let (true, Some(region)) = (kind.schema().regional, region) {
            read.entry("region".to_owned())
                .or_insert_with(|| text(region));
        }
        Ok(read)
    }

    fn connect(&self, region: Option<&str>) -> Result<std::sync::Arc<super::Aws>, RemoteError> {
        // The command connects whenever a data source reads AWS.
        let remotes = self.remotes.ok_or(RemoteError::Credentials(
            "no connection to AWS was made".to_owned(),
        ))?;
        remotes.region(region)
    }

    /// Lists the apis of every region in `regions` at the same time, for the data sources that
    /// read apis there.
    pub async fn list_apis(&mut self, regions: &BTreeSet<Option<&str>>) -> Result<(), RemoteError> {
        let mut lists = Vec::new();
        for region in regions {
            let aws = self.connect(*region)?;
            let key = region.unwrap_or_default().to_owned();
            lists.push(async move {
                let listed = aws.list(Kind::Api, &Parents::default()).await?;
                let apis = listed.into_iter().map(|listed| listed.attributes).collect();
                Ok::<_, RemoteError>((key, apis))
            });
        }
        self.apis
            .extend(futures_util::future::try_join_all(lists).await?);
        Ok(())
    }

    /// Every api of `region`, listed once for all the data sources that read apis there.
    async fn apis(&mut self, region: Option<&str>) -> Result<&[Object], RemoteError> {
        let key = region.unwrap_or_default().to_owned();
        if !self.apis.contains_key(&key) {
            let listed = self
                .connect(region)?
                .list(Kind::Api, &Parents::default())
                .await?;
            let apis = listed.into_iter().map(|listed| listed.attributes).collect();
            self.apis.insert(key.clone(), apis);
        }
        Ok(&self.apis[&key])
    }
}

fn put(object: &mut Object, name: &str, value: &str) {
    object.insert(name.to_owned(), text(value));
}

/// The region `aws_region` selects: by `name`, by EC2 `endpoint`, or where it is read.
fn select_region(
    name: Option<String>,
    endpoint: Option<String>,
    region: Option<&str>,
) -> Result<String, DataError> {
    let by_endpoint = match &endpoint {
        None => None,
        Some(endpoint) => Some(
            partitions::regions()
                .map(|(name, _)| name)
                .find(|name| partitions::ec2_endpoint(name) == *endpoint)
                .ok_or_else(|| {
                    DataError::NoRegion(format!("with the EC2 endpoint `{endpoint}`"))
                })?,
        ),
    };
    match (name, by_endpoint) {
        (Some(name), Some(found)) if name != found => Err(DataError::NoRegion(format!(
            "named `{name}` with the EC2 endpoint `{}`",
            endpoint.unwrap_or_default()
        ))),
        (Some(name), _) => Ok(name),
        (None, Some(found)) => Ok(found.to_owned()),
        (None, None) => Ok(region.ok_or(RemoteError::NoRegion)?.to_owned()),
    }
}
