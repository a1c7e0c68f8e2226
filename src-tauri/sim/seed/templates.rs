//! The simulated number's message templates: `ar` and `en_US`, the three template categories,
//! 0 to 3 parameters, one image header, one text header, and one PENDING and one REJECTED
//! template so clients can show that only approved ones are offered. The simulator serves these
//! whether or not customer data is seeded: templates belong to the number, not to the customers.

use super::{HeaderType, SeedTemplate};
use crate::domain::category::Category;

/// The image the `summer_offer` header shows in previews.
pub const SUMMER_OFFER_IMAGE: &str = "https://images.example.com/alnoor/summer-offer-vitamins.jpg";

struct Spec {
    name: &'static str,
    language: &'static str,
    category: Category,
    status: &'static str,
    body: &'static str,
    header_type: HeaderType,
    header: Option<&'static str>,
    header_sample_media_url: Option<&'static str>,
    footer: Option<&'static str>,
}

const fn spec(name: &'static str, language: &'static str, category: Category, body: &'static str) -> Spec {
    Spec {
        name,
        language,
        category,
        status: "APPROVED",
        body,
        header_type: HeaderType::None,
        header: None,
        header_sample_media_url: None,
        footer: None,
    }
}

const SPECS: &[Spec] = &[
    Spec {
        footer: Some("Al Noor Pharmacy"),
        ..spec(
            "welcome_back",
            "en_US",
            Category::Marketing,
            "We miss you! Visit Al Noor Pharmacy this week and enjoy 10% off all vitamins and skincare.",
        )
    },
    Spec {
        footer: Some("صيدلية النور"),
        ..spec(
            "welcome_back",
            "ar",
            Category::Marketing,
            "اشتقنا لك! زر صيدلية النور هذا الأسبوع واحصل على خصم ١٠٪ على جميع الفيتامينات ومنتجات العناية بالبشرة.",
        )
    },
    spec(
        "order_confirmation",
        "en_US",
        Category::Utility,
        "Your order {{1}} is confirmed. Total: {{2}}. We will message you when it is on its way.",
    ),
    spec("order_confirmation", "ar", Category::Utility, "تم تأكيد طلبك رقم {{1}}. المجموع: {{2}}. سنرسل لك رسالة عند خروج الطلب للتوصيل."),
    spec(
        "appointment_reminder",
        "en_US",
        Category::Utility,
        "Hello {{1}}, this is a reminder of your consultation at our {{2}} branch on {{3}}. Reply to reschedule.",
    ),
    spec(
        "appointment_reminder",
        "ar",
        Category::Utility,
        "مرحباً {{1}}، نذكرك بموعد استشارتك في فرع {{2}} يوم {{3}}. للرد أو تغيير الموعد راسلنا هنا.",
    ),
    spec(
        "verification_code",
        "en_US",
        Category::Authentication,
        "{{1}} is your verification code. For your security, do not share this code.",
    ),
    spec("verification_code", "ar", Category::Authentication, "رمز التحقق الخاص بك هو {{1}}. لا تشارك هذا الرمز مع أي شخص."),
    Spec {
        header_type: HeaderType::Text,
        header: Some("Prescription ready"),
        ..spec(
            "prescription_ready",
            "en_US",
            Category::Utility,
            "Hi {{1}}, your prescription is ready for pickup. Please bring your ID or insurance card.",
        )
    },
    Spec {
        header_type: HeaderType::Text,
        header: Some("الوصفة جاهزة"),
        ..spec("prescription_ready", "ar", Category::Utility, "مرحباً {{1}}، وصفتك الطبية جاهزة للاستلام. الرجاء إحضار الهوية أو بطاقة التأمين.")
    },
    Spec {
        header_type: HeaderType::Image,
        header_sample_media_url: Some(SUMMER_OFFER_IMAGE),
        footer: Some("Reply STOP to opt out"),
        ..spec(
            "summer_offer",
            "en_US",
            Category::Marketing,
            "Summer deal for {{1}}: buy two vitamin packs and get the third free, at every Al Noor branch until Thursday.",
        )
    },
    Spec { status: "PENDING", ..spec("ramadan_greetings", "ar", Category::Marketing, "رمضان كريم! صيدلية النور تتمنى لكم شهراً مباركاً. ساعات العمل في رمضان من ١٠ صباحاً حتى ٢ فجراً.") },
    Spec {
        status: "REJECTED",
        ..spec("flash_sale_50", "en_US", Category::Marketing, "FLASH SALE {{1}}: 50% off everything today only with code {{2}}!!!")
    },
];

/// The catalogue, ids from 1 in this order.
pub fn catalogue() -> Vec<SeedTemplate> {
    SPECS
        .iter()
        .enumerate()
        .map(|(i, s)| SeedTemplate {
            id: i as i64 + 1,
            name: s.name.to_string(),
            language: s.language.to_string(),
            category: s.category,
            status: s.status.to_string(),
            params_count: crate::domain::template::placeholders(s.body).len() as u32,
            body: s.body.to_string(),
            header: s.header.map(str::to_string),
            header_type: s.header_type,
            header_sample_media_url: s.header_sample_media_url.map(str::to_string),
            footer: s.footer.map(str::to_string),
        })
        .collect()
}
