//! The products the shop sells and its delivery rates: the catalog file
//! (`shop/catalog.toml`, compiled in), and the products' rows in the
//! database, written from it at every start.

use std::sync::LazyLock;

use serde::Deserialize;
use sqlx::AnyPool;

use crate::cart::Product;
use crate::delivery::DeliveryRates;
use crate::i18n::LocalizedText;
use crate::money::PerCurrency;

/// The catalog file as written.
#[derive(Debug, Deserialize)]
pub struct CatalogFile {
    #[serde(rename = "product")]
    pub products: Vec<Product>,
    pub delivery: DeliveryRates,
}

impl CatalogFile {
    pub fn parse(text: &str) -> Result<Self, String> {
        let file: CatalogFile = toml::from_str(text).map_err(|e| e.to_string())?;
        file.delivery.check()?;
        Ok(file)
    }
}

/// The catalog file compiled into this build. Parsing it cannot fail at run
/// time: the same text is parsed by `the_catalog_file_parses` below, and a
/// build whose file does not parse fails its tests.
static CATALOG: LazyLock<CatalogFile> = LazyLock::new(|| {
    CatalogFile::parse(include_str!("../../catalog.toml"))
        .unwrap_or_else(|e| panic!("shop/catalog.toml: {e}"))
});

/// The products, in catalog order.
pub fn products() -> &'static [Product] {
    &CATALOG.products
}

/// Where the shop delivers and at what price.
pub fn delivery_rates() -> &'static DeliveryRates {
    &CATALOG.delivery
}

#[derive(sqlx::FromRow)]
struct ProductRow {
    id: String,
    name_en: String,
    name_fr: String,
    description_en: String,
    description_fr: String,
    image: String,
    price_eur: i64,
    price_usd: i64,
    price_cad: i64,
    price_gbp: i64,
    price_aud: i64,
    price_nzd: i64,
    /// 0 or 1 (a flag column reads the same on both databases).
    digital: i64,
}

impl From<ProductRow> for Product {
    fn from(row: ProductRow) -> Self {
        Product {
            id: row.id,
            name: LocalizedText {
                en: row.name_en,
                fr: row.name_fr,
            },
            description: LocalizedText {
                en: row.description_en,
                fr: row.description_fr,
            },
            image: row.image,
            price: PerCurrency {
                eur: row.price_eur,
                usd: row.price_usd,
                cad: row.price_cad,
                gbp: row.price_gbp,
                aud: row.price_aud,
                nzd: row.price_nzd,
            },
            digital: row.digital != 0,
        }
    }
}

/// Every product, in catalog order.
pub async fn all(pool: &AnyPool) -> Result<Vec<Product>, sqlx::Error> {
    let rows: Vec<ProductRow> = sqlx::query_as(
        "SELECT id, name_en, name_fr, description_en, description_fr, image,
                price_eur, price_usd, price_cad, price_gbp, price_aud, price_nzd, digital
         FROM products ORDER BY position, id",
    )
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(Product::from).collect())
}

/// Adds or updates a product (used by seeding).
pub async fn upsert(pool: &AnyPool, position: i64, product: &Product) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO products (id, position, name_en, name_fr, description_en, description_fr, image,
            price_eur, price_usd, price_cad, price_gbp, price_aud, price_nzd, digital)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
         ON CONFLICT (id) DO UPDATE SET position = excluded.position,
            name_en = excluded.name_en, name_fr = excluded.name_fr,
            description_en = excluded.description_en, description_fr = excluded.description_fr,
            image = excluded.image, price_eur = excluded.price_eur, price_usd = excluded.price_usd,
            price_cad = excluded.price_cad, price_gbp = excluded.price_gbp,
            price_aud = excluded.price_aud, price_nzd = excluded.price_nzd,
            digital = excluded.digital",
    )
    .bind(&product.id)
    .bind(position)
    .bind(&product.name.en)
    .bind(&product.name.fr)
    .bind(&product.description.en)
    .bind(&product.description.fr)
    .bind(&product.image)
    .bind(product.price.eur)
    .bind(product.price.usd)
    .bind(product.price.cad)
    .bind(product.price.gbp)
    .bind(product.price.aud)
    .bind(product.price.nzd)
    .bind(i64::from(product.digital))
    .execute(pool)
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_catalog_file_parses() {
        let file = CatalogFile::parse(include_str!("../../catalog.toml")).unwrap();
        assert!(file.products.iter().any(|p| p.digital));
        assert!(file.products.iter().any(|p| !p.digital));
        // Every country the shop delivers to is one it sells to (named in both languages).
        for country in file.delivery.countries() {
            assert!(crate::countries::find(country).is_some(), "{country}");
        }
    }

    #[test]
    fn a_catalog_with_broken_rates_is_refused() {
        let twice = r#"
            product = []
            [[delivery.zone]]
            name = "a"
            countries = ["FR"]
            price = { eur = 1, usd = 1, cad = 1, gbp = 1, aud = 1, nzd = 1 }
            [[delivery.zone]]
            name = "b"
            countries = ["FR"]
            price = { eur = 1, usd = 1, cad = 1, gbp = 1, aud = 1, nzd = 1 }
        "#;
        assert!(CatalogFile::parse(twice).unwrap_err().contains("FR"));
        // A rate must be given in every currency the shop sells in.
        let no_pounds = r#"
            product = []
            [[delivery.zone]]
            name = "a"
            countries = ["FR"]
            price = { eur = 1, usd = 1, cad = 1, aud = 1, nzd = 1 }
        "#;
        assert!(CatalogFile::parse(no_pounds).unwrap_err().contains("gbp"));
        assert!(CatalogFile::parse("product = []").is_err(), "no delivery");
    }
}
