//! The words of the seed data: names, places, and conversation scripts for a pharmacy chain, each
//! line in English and Arabic. Scripts together cover every message type of the seed table in
//! every direction it allows (location and sticker only inbound, template and interactive only
//! outbound).

/// English and Arabic forms of the same line.
pub(super) type Bi = (&'static str, &'static str);

pub(super) const GULF_FIRST: &[Bi] = &[
    ("Sara", "سارة"),
    ("Mohammed", "محمد"),
    ("Fatimah", "فاطمة"),
    ("Abdullah", "عبدالله"),
    ("Noura", "نورة"),
    ("Khalid", "خالد"),
    ("Reem", "ريم"),
    ("Faisal", "فيصل"),
    ("Lama", "لمى"),
    ("Omar", "عمر"),
    ("Hessa", "حصة"),
    ("Yousef", "يوسف"),
    ("Maha", "مها"),
    ("Turki", "تركي"),
    ("Aljawhara", "الجوهرة"),
    ("Saud", "سعود"),
    ("Dana", "دانة"),
    ("Nasser", "ناصر"),
    ("Layan", "ليان"),
    ("Majed", "ماجد"),
    ("Hind", "هند"),
    ("Bandar", "بندر"),
];

pub(super) const GULF_FAMILY: &[Bi] = &[
    ("Al-Harbi", "الحربي"),
    ("Al-Otaibi", "العتيبي"),
    ("Al-Qahtani", "القحطاني"),
    ("Al-Ghamdi", "الغامدي"),
    ("Al-Zahrani", "الزهراني"),
    ("Al-Shehri", "الشهري"),
    ("Al-Dosari", "الدوسري"),
    ("Al-Mutairi", "المطيري"),
    ("Al-Shammari", "الشمري"),
    ("Al-Anazi", "العنزي"),
    ("Al-Mansouri", "المنصوري"),
    ("Al-Nuaimi", "النعيمي"),
    ("Al-Suwaidi", "السويدي"),
    ("Al-Balushi", "البلوشي"),
];

pub(super) const UK_NAMES: &[&str] = &[
    "Emily Clarke",
    "James Whitfield",
    "Priya Patel",
    "Hannah Brooks",
    "Daniel Hughes",
    "Aisha Rahman",
    "Oliver Bennett",
    "Sophie Turner",
    "Yusuf Khan",
    "Grace O'Neill",
];

/// A city and its branches.
pub(super) type City = (&'static str, &'static [&'static str]);

/// (country prefix, cities with their branches).
pub(super) const PLACES: &[(&str, &[City])] = &[
    ("9665", &[("Riyadh", &["Olaya", "Malqa", "Al Nakheel"]), ("Jeddah", &["Tahlia", "Corniche"]), ("Dammam", &["Al Faisaliyah"])]),
    ("9715", &[("Dubai", &["Jumeirah", "Marina"]), ("Abu Dhabi", &["Al Reem"])]),
    ("4477", &[("London", &["Edgware Road"]), ("Manchester", &["Rusholme"])]),
];

pub(super) const TAGS: &[&str] = &["vip", "returning", "wholesale", "new", "insurance", "chronic-care", "delivery"];

pub(super) const INSURERS: &[&str] = &["Bupa Arabia", "Tawuniya", "MedGulf", "Daman", "AXA"];

/// One line of a script.
#[derive(Debug, Clone, Copy)]
pub(super) enum Step {
    InText(Bi),
    InImage(Option<Bi>),
    InVideo(Option<Bi>),
    InAudio,
    InDocument(&'static str),
    /// A shared location, with the place's label.
    InLocation(Bi),
    InSticker,
    /// Reacts to our newest message.
    InReaction(&'static str),
    OutText(Bi),
    OutImage(&'static str, Bi),
    OutVideo(&'static str, Bi),
    OutAudio(&'static str),
    /// Link, file name, caption.
    OutDocument(&'static str, &'static str, Bi),
    /// Template name for English customers, for Arabic ones (the image-header offer is English only).
    OutTemplate(&'static str, &'static str),
    OutButtons(Bi, &'static [(&'static str, Bi)]),
    OutList(Bi, Bi, &'static [(&'static str, Bi)]),
    /// Reacts to the customer's newest message.
    OutReaction(&'static str),
}

use Step::*;

pub(super) const SCRIPTS: &[&[Step]] = &[
    // Prescription refill with delivery.
    &[
        InText(("Hi, I need to refill my prescription for Concor 5mg", "السلام عليكم، أبغى أجدد وصفة كونكور ٥ ملغ")),
        InImage(Some(("Here is the prescription", "هذي صورة الوصفة"))),
        OutText((
            "Thank you! Concor 5mg is in stock. Would you like pickup or delivery?",
            "أهلاً بك! كونكور ٥ ملغ متوفر. تفضل استلام من الفرع أو توصيل؟",
        )),
        InText(("Delivery please, same address as last time", "توصيل لو سمحت، نفس العنوان السابق")),
        OutDocument("https://media.example.com/alnoor/invoices/INV-20417.pdf", "INV-20417.pdf", ("Your invoice", "فاتورتك")),
        OutText(("Your order is on its way and should arrive within 2 hours.", "طلبك في الطريق وبيوصلك خلال ساعتين إن شاء الله.")),
        InReaction("👍"),
    ],
    // Stock question, delivery choice, location.
    &[
        InText(("Do you have Panadol Extra in stock?", "عندكم بنادول إكسترا؟")),
        OutImage("https://media.example.com/alnoor/products/panadol-extra.jpg", ("Panadol Extra, 24 tablets: 18 SAR", "بنادول إكسترا ٢٤ حبة: ١٨ ريال")),
        OutButtons(
            ("How would you like to receive it?", "كيف تحب تستلم طلبك؟"),
            &[("pickup", ("Pickup", "استلام من الفرع")), ("delivery", ("Delivery", "توصيل"))],
        ),
        InText(("Delivery", "توصيل")),
        InLocation(("Home", "البيت")),
        OutText(("Got it, our driver will call you when he arrives.", "تمام، المندوب بيتصل عليك إذا وصل.")),
        InSticker,
    ],
    // A voice note and a dosage question.
    &[
        InAudio,
        OutText((
            "Sorry, could you type your question? We can't play voice notes right now.",
            "عذراً، ممكن تكتب سؤالك؟ ما نقدر نسمع الرسائل الصوتية حالياً.",
        )),
        InText(("How many times a day should my son take the Augmentin syrup?", "كم مرة باليوم ياخذ ولدي شراب أوجمنتين؟")),
        OutAudio("https://media.example.com/alnoor/voice/pharmacist-dosage.ogg"),
        OutText((
            "Twice a day after meals, 5 ml each time, for 7 days. Please finish the full course.",
            "مرتين يومياً بعد الأكل، ٥ مل كل مرة لمدة ٧ أيام. لازم يكمل الكورس كامل.",
        )),
        InText(("Thank you so much", "شكراً جزيلاً")),
        OutReaction("❤️"),
    ],
    // A marketing template and a follow-up video.
    &[
        OutTemplate("summer_offer", "welcome_back"),
        InText(("Is the offer valid at the Olaya branch?", "العرض موجود في فرع العليا؟")),
        OutText(("Yes, at every branch until Thursday.", "نعم، في جميع الفروع حتى يوم الخميس.")),
        OutVideo("https://media.example.com/alnoor/videos/choosing-vitamins.mp4", ("How to choose the right vitamin", "كيف تختار الفيتامين المناسب")),
        InReaction("😍"),
    ],
    // Appointment reminder and rescheduling from a list.
    &[
        OutTemplate("appointment_reminder", "appointment_reminder"),
        InText(("Can I change the time?", "ممكن أغير الموعد؟")),
        OutList(
            ("Pick another time if you need to reschedule.", "اختر وقتاً آخر إذا تحب تغير الموعد."),
            ("Choose a time", "اختر الوقت"),
            &[("slot_10", ("10:00 AM", "١٠:٠٠ صباحاً")), ("slot_16", ("4:00 PM", "٤:٠٠ مساءً")), ("slot_20", ("8:00 PM", "٨:٠٠ مساءً"))],
        ),
        InText(("4:00 PM works better for me", "الساعة ٤ العصر أنسب لي")),
        OutText(("Done, see you at 4:00 PM.", "تم، نشوفك الساعة ٤ العصر.")),
        InText(("Thanks!", "مشكورين!")),
        OutReaction("👍"),
    ],
    // An order confirmed by template, with an insurance card.
    &[
        InText((
            "I'd like to order 2 boxes of Centrum and a blood pressure monitor",
            "أبغى أطلب علبتين سنتروم وجهاز قياس ضغط",
        )),
        OutTemplate("order_confirmation", "order_confirmation"),
        InDocument("insurance-card.pdf"),
        OutText((
            "We received your insurance card; the monitor is covered at 80%.",
            "استلمنا بطاقة التأمين، جهاز الضغط مغطى بنسبة ٨٠٪.",
        )),
        InText(("Great, thank you", "ممتاز، الله يعطيكم العافية")),
    ],
    // A complaint with a video, and a refund receipt.
    &[
        InText(("My order arrived damaged", "طلبي وصل والعلبة مكسورة")),
        InVideo(Some(("See the box", "شوف العلبة"))),
        OutText((
            "We're very sorry! We'll send a replacement today and refund the delivery fee.",
            "نعتذر منك جداً! بنرسل لك بديل اليوم ونرجع لك رسوم التوصيل.",
        )),
        OutDocument("https://media.example.com/alnoor/refunds/REF-3381.pdf", "REF-3381.pdf", ("Refund receipt", "إيصال الاسترجاع")),
        InText(("Thank you for the quick response", "شكراً على سرعة التجاوب")),
    ],
    // App sign-up with a verification code.
    &[
        OutTemplate("verification_code", "verification_code"),
        InText(("Got it, thanks", "وصلني الرمز، شكراً")),
        OutText(("Welcome to the Al Noor app! You earned 50 loyalty points.", "أهلاً بك في تطبيق النور! حصلت على ٥٠ نقطة ولاء.")),
        InImage(None),
        OutText((
            "That's your points balance; it updates within a day.",
            "هذا رصيد نقاطك، ويتحدث خلال يوم.",
        )),
    ],
    // Prescription ready for pickup.
    &[
        OutTemplate("prescription_ready", "prescription_ready"),
        InText(("I'll pick it up this evening", "بمرّ آخذها الليلة")),
        OutText(("See you then. We're open until midnight.", "حياك الله، نفتح لين الساعة ١٢ بالليل.")),
        InSticker,
    ],
];

/// Free-form follow-ups sent after a window had closed: they fail with Meta 131047.
pub(super) const LATE_FOLLOW_UP: Bi = (
    "Hi, just checking whether you still need the Vitamin D we set aside for you?",
    "مرحباً، حبينا نتأكد إذا لا زلت تحتاج فيتامين د اللي حجزناه لك؟",
);

/// Flows: id, (key, question, response type, sample answers), in step order.
pub(super) struct Flow {
    pub id: i64,
    pub first_step_id: i64,
    pub questions: &'static [(&'static str, Bi, &'static str)],
}

pub(super) const FLOWS: &[Flow] = &[
    Flow {
        id: 301,
        first_step_id: 3011,
        questions: &[
            ("name", ("What is your name?", "ما اسمك؟"), "text"),
            ("preferred_branch", ("Which branch is closest to you?", "أي فرع أقرب لك؟"), "list"),
        ],
    },
    Flow {
        id: 302,
        first_step_id: 3021,
        questions: &[
            ("prescription_number", ("Please send your prescription number.", "أرسل رقم الوصفة لو سمحت."), "text"),
            ("delivery_method", ("Pickup or delivery?", "استلام أو توصيل؟"), "button"),
        ],
    },
    Flow {
        id: 303,
        first_step_id: 3031,
        questions: &[
            ("rating", ("How would you rate your visit?", "كيف تقيم زيارتك؟"), "button"),
            ("comment", ("Anything we could do better?", "هل عندك أي ملاحظة؟"), "text"),
        ],
    },
];

pub(super) const COMMENTS: &[Bi] = &[
    ("The pharmacist was very helpful", "الصيدلي كان متعاون جداً"),
    ("Delivery was faster than expected", "التوصيل كان أسرع من المتوقع"),
    ("Please stock more baby formula", "نتمنى توفرون حليب أطفال أكثر"),
];
