//! The products the shop sells.

use sqlx::AnyPool;

use crate::cart::Product;
use crate::i18n::LocalizedText;

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
            price_eur: row.price_eur,
            price_usd: row.price_usd,
            digital: row.digital != 0,
        }
    }
}

/// Every product, in catalog order.
pub async fn all(pool: &AnyPool) -> Result<Vec<Product>, sqlx::Error> {
    let rows: Vec<ProductRow> = sqlx::query_as(
        "SELECT id, name_en, name_fr, description_en, description_fr, image, price_eur, price_usd, digital
         FROM products ORDER BY position, id",
    )
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(Product::from).collect())
}

/// Adds or updates a product (used by seeding).
pub async fn upsert(pool: &AnyPool, position: i64, product: &Product) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO products (id, position, name_en, name_fr, description_en, description_fr, image, price_eur, price_usd, digital)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
         ON CONFLICT (id) DO UPDATE SET position = excluded.position,
            name_en = excluded.name_en, name_fr = excluded.name_fr,
            description_en = excluded.description_en, description_fr = excluded.description_fr,
            image = excluded.image, price_eur = excluded.price_eur, price_usd = excluded.price_usd,
            digital = excluded.digital",
    )
    .bind(&product.id)
    .bind(position)
    .bind(&product.name.en)
    .bind(&product.name.fr)
    .bind(&product.description.en)
    .bind(&product.description.fr)
    .bind(&product.image)
    .bind(product.price_eur)
    .bind(product.price_usd)
    .bind(i64::from(product.digital))
    .execute(pool)
    .await?;
    Ok(())
}
